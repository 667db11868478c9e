"""Everyday Spanish words the speller never "repairs" ("harta" must not become "hasta", "cubre"
not "cubren", "clienta" not "cliente").

The speller (`ivr.flow.spelling`) repairs a word it does not know towards the flow's own words;
its list of everyday words to leave alone was English only, so a Spanish text's ordinary words
were read as slips of the flow's Spanish phrases. These are frequent words of five letters or
more as Texas customers text them (accents folded, as the speller compares them), written for
this list; a misspelling is not listed, so it is still repaired. "emergencia" is here so that a
flow says what it means by it (and "no es emergencia" can be ignored), not the English
"emergency" it is two slips from.
"""

from __future__ import annotations

_WORDS = """
unos unas otros otras dias meses anos casos cosas
abajo abierto abierta abiertos abogada abogado abogados abrieron abril abuela abuelo abuelita
abuelito acaba acabo acuerdo adelante adentro afuera agosto agradezco ahora ahorita ajustar
alguien algun alguna alguno algunos antes anoche anterior apenas aparte aqui arreglar arreglen
arriba asustada asustado atender atienda atrasado aunque ayuda ayudar ayude ayuden bastante
bebes bien bonito bueno buenas buenos busco cabeza cada calor calle cambiar cambio camino
cansada cansado carro casada casado cerca cierto claro clienta cliente clientes cobra cobran
cobrar comida como compre compra compras comprar compro conmigo contesta contestan contestar
contigo correo cosas cosita creo cuando cuanto cuanta cuantos cuarto cuartos cubre cubrir
cuenta cuidado culpa debajo deben decir dejar dejaron dejo desde despues diciembre dicen dieron
dijeron dijo dinero direccion donde dormir emergencia ellos ellas empieza empezar encima enero enfermo
enferma enojada enojado entonces entre escribir escribo esposa esposo estaba estado estamos
estan estar estoy estos estas esperando esperar facil falta familia favor febrero fecha feliz
fines forma fuera funciona ganas gente gracias grande grandes gusta gustaria habia hablar hablo
hacer hacia harta harto hasta hecho hermana hermano hermanos hicieron hijas hijos hombre horas
hubiera iglesia igual junio julio juntos largo lejos luego llama llamada llamadas llamar
llamaron llamo llega llegan llegar llego lleva llevar llevo lunes madre mande mandar mando
manana martes marzo mayor mejor menos mensaje mensajes mientras mismo mitad momento mucha mucho
muchas muchos mujer nadie necesito necesita nieto nieta noche nombre nosotros novia novio nueva
nuevo nunca octubre otras otros padre padres pagar pague pagos parte pasar paso pasado pedido
pedir pedi pensar pequeno perdon pero persona personas pesos poco poder podria pongo porque
porfa porfavor posible imposible pregunta preguntar preguntas presto primera primero primo prima pronto pueda
puedan pueden puedo puede quien quiere quieren quiero quisiera razon recibi recibir regresa regresar
regreso rapido sabado saber sabes salir semana semanas seguro senor senora septiembre siempre
sigue siento sobre sobrina sobrino solos tambien tanto tarde temprano tenemos tener tengo tiempo
tienda tiene tienen todas todavia todos trabajo trabajar trabajan traer tuvo ultimo ultima unos
usted ustedes vamos varios veces verdad viejo vieja viene vienen viernes vivir vivo volver
yerno
"""
#: Lower-case everyday Spanish words; a few of four letters ("unos", "unas") would otherwise
#: be read as plurals of flow words ("uno", "una").
COMMON_WORDS_ES = frozenset(_WORDS.split())
