"""Everyday English words the speller never "repairs" ("change" must not become "charge").

The 3,000 most frequent English words of five letters or more, plus every frequent word that is
one slip from a word of the shipped flows (frequencies from the wordfreq project's English list,
whose data is CC BY-SA 4.0). A word listed here is taken as meant, even when a flow word is one
letter away; a misspelling is not listed, so it is still repaired.
"""

from __future__ import annotations

_WORDS = """
ability abortion about above absolute absolutely abuse abuses academic academy accent accept
accepted accepts access accessed accident according account accounts accurate accusing achieve
achieved aching across acting action actions active activities activity actor actual actually
adapt adapted adapting added adding addition additional address addressed addresses adept
adjusted administration admit admitted adopted adult adults advance advanced advantage
advertising advice affairs affect affected afford afraid africa african after afternoon again
against agencies agency agent agents agree agreed agreement agreements ahead aiding aircraft
airport alarms album alcohol alive allow allowed allowing allows almost alone along already
alter alternative although always amazing amazon america american americans among amount
amounted amounts ample amused amusing analysis ancient andrew angeles angry animal animals
anniversary announced annual annually another answer answers anybody anymore anyone anything
anyway anywhere apart apartment apparently appeal appear appearance appeared appears apple
apples application applications applied apply appointed appointment appointments appreciate
approach appropriate approval approved approximately april archived areas argument armed around
arrest arrested arrived arrives article articles artist artists asian aside asked asking
aspects assembly assets assistance assistant associated association assume attached attack
attacked attacks attempt attempts attend attention attitude attorney attorneys attractive
audience august australia australian author authorised authorities authority authorized authors
automatically available average avoid award awards aware awesome babes background balance
balanced balances balls bands banking banks banning barely barley baseball based basic
basically basis basketball bathroom batter battered battery battle battles beach beads beams
beans bearing bearings bears beast beasts beautiful beauty became because become becomes
becoming before began begin beginning begins behaving behavior behind being believe believed
below belts benefit benefits besides better betting between beyond bible bigger biggest billion
billions bills birds birth birthday birthdays bitch bitter bitterly black blame blanc bland
blasting bleak blending blessing blind blink block blocking blogging bloke blood blooming board
boating boats bodies boiled boilers books border boring boston bottle bottled bottles bottom
bought bowler boyfriend bragging brain brake braking branch branches brand branding brazil
bread break breakers breakfast breaking breaks breath breeding bridge brief bright brilliant
bring bringing brings brink britain british broad broke broken broker brooke brother brothers
brought brown browning browsing brunch budget build building buildings built bullying bunch
buried burner burning burns bursting bursts burying business businesses buster butler button
buying cabinet cable california called caller calling calls calming camera campaign campus
canada canadian canceled cancer candidate candidates candles cannot capable capacity capital
captain carbon cards career careful carolina carried carry carrying carson cases casts catch
category catholic caught cause caused causes causing cavities ceilings celebrate cells center
central centrally centre century certain certainly chain chair chairman challenge challenges
champion champions championship chance chances chandler chang change changed changer changes
changing channel chaplain chapter character characters charge charged charger chargers charges
charging charles charming cheap cheating check checked checking checkout checks cheek cheese
chemical chemicals chest chicago chick chicken chief child childhood children chile chili chill
chilling china chinese chocolate choice choke choose choosing chopping chose chosen chris
christ christian christmas chuck church circle circling circumstances cites cities citizens
civil claim claimed claims class classes classic clean cleaner cleaners cleansing clear cleared
clearing clearly clerical click client clients climate climbing clinging clinical clint clinton
clone close closed closely closer closes closet clothes clothing clover clubs clueless coach
coalition coast coasts coats coding coffee cognition coins collected collection college colon
color coloring colors colour coloured colours colts combat combination combined comedy comes
comfortable comin coming command commander comment comments commercial commission committed
committee commodity common communication communications communion communism communist
communists communities community companies company compared comparison compensate competition
competitive complained complains complaints complete completed completely completes complex
compliant compressed compression computer concept concern concerned concerns concert condensed
condition conditional conditioned conditions conduct conducted conference confidence confirmed
conflict congress connected connection conor conservative consider considered considering
consolation constant constantly constitution construction consultations consumer contact
contain contains contemporary contender content contest context continue continued continues
contract control controlled controls convened convention conversation converted conveyed
conviction cooked cooking coping corner corporate corporation correct costa costs could council
count counter countries country county couple coupling course court courts cover coverage
covered covers covert coveted cracker crackers cracking crash crashed crawling crazy cream
create created creating creation creative credit credited credits crime criminal crisis
critical criticism cross crossing crowd crown crying cultural culture currency current
currently currents customer customers cutting cycle dagger daily damage damages dance dancer
dancing danger dangerous dangers daniel dates dating daughter daughters david davis deadlines
dealing deals death deaths debate debut decade decades december deceptive decide decided
deciding decision decisions declared dedicated defeat defence defense defensive defined
defining definitely definition degree degrees deliver delivered deliveries delivers delivery
demand democracy democratic democrats denied department depending depends deployed depression
depth deputy derive describe described description deserve design designed desire despite
destroy destroyed destroyer destroys detail detailed details detected detection detective
detectives detectors determine determined develop developed developing development device
devices diagnosed diagnosis difference differences different differently differing difficult
digit digital dinner dipping direct directed directing direction directional directive directly
director directors dirty disable disappoint discovered discuss discussion disease display
displayed displays disputed disputes distance distribution district diversion diverted dividend
division divisions divisive doctor doctoral doctors document documents doing dollar dollars
domestic doors double doubled doubles doubt download draft drafting dragging drains drama
drawing drawn dream dreams dress drifting drilling drink drinking drinks drive driven driver
drivers drives driving dropped dropping drops drove drowning drugs drunk ducks during dying
earlier early earned earth easier easily eastern eater eating eaton economic economy edition
editor education educational edward effect effective effectively effects effort efforts eight
either elected election elections electric electronic elements email emergence emergency
emotional empire employed employee employees employer employers employment empty encoding ended
ending endings enduring enemy energy engaged engine engineer engineering england english enjoy
enjoyed enough ensure enter entered entertainment entire entirely entitled entry environment
environmental episode equal equipment equivalent error errors escape especially essential
essentially essentials established estate estimated estimates europe european evening event
events eventually every everybody everyone everything everywhere evidence exact exactly example
examples excellent except exchange exchanged exchanges excited exciting excluded exclusive
excuse executive exercise exhausting exhaustive exist existence existent existing exiting
expanded expansion expect expected expensive experience experienced experiences expert experts
explain explained explode explodes exploited explored explorer explores exposed express
expressed expression extended extensive external extra extreme extremely facebook faced faces
facilities facility facing factor factors factory facts failed failing failure fairly faith
falling falls false familiar families family famous fantastic fantasy farther fashion faster
father fathers fault favor favorite favorites favourite favourites feather feathers feature
features february federal feeling feelings feels fellow female festival fiance field fielding
fields fifth fight fighting figure figures figuring filed filled filler filling filming films
filtered filters final finally finance financed finances financial finding finds fined finer
fingers finish finished fired fires first fixed fixes fixing flakes flame flares fleeting
flight fling flirting floating floods floor floors florida flour flowers floyd flushing flying
focus focused folks follow followed following follows football force forced forces foreign
forest forever forget forgot formation formed former forms forster forward fought found
foundation founded fourth frame frames france francisco frank freaking freedom freeing french
frequently fresh freud friday fried friend friendly friends front fruit fucked fucking fully
function functions funding funds funny further future gained gallery games garden gender
general generally generation george german germany gettin getting giant girlfriend girls given
gives giving glass global goals going golden gonna goods google gotta government governor grace
grade graduate grand grant granted granting great greater greatest greek green greeting
grieving gripping ground group groups growing grown growth guarantees guard guess guessing
guest guide guilty haired handle handled handles hands handy hanging hangs happen happened
happening happens happy harder hardly harry hating haunting having headed header heading heads
healer healing health healthy heard hearing hearings hears heart hearts hearty heated heather
heaven heavily heavy height hello helped helping helps henry herring herself hidden hides
higher highest highly highway hikes himself hires historical history holding holdings holds
holiday hollywood homes honest honestly honor hopefully hoping horse hospital hospitals hotel
hours house housed houses housing however human humans hundred hundreds hunting hurricanes
husband husbands ideal ideals ideas identified identify identity ignition ignoring illegal
image images imagine imitation immediate immediately impact importance important impossible
improve improved incident include included includes including income incorrectly increase
increased increasing incredible incurred indeed independence independent index india indian
individual individuals indoors industrial industry infantry infants infected infection infested
influence information initial injected injection injured injuring injury inner inquiries insect
inserted insertion inside insider insiders insisted inspected inspections inspector inspired
installations instance instead institute institutions insurance insured intelligence intended
intentional interest interested interesting interests interior internal international
internationally internet interview introduced introduction invented inverted invested
investigation investment invitation invited inviting involved ireland irish irrigation
irritating island islands israel issuance issue issued issues italian italy items itself
jackson james january japan japanese jersey jesus jewish johnson joined joins joint joints
jones jordan joseph journal journey judge justice keeping keeps kevin killed killing kinda
kinds kingdom kitchen kneeling knowing knowledge known knows korea labels labor labour lacked
ladies language large largely larger largest later latest latter laugh laughing launch launched
lawyer lawyers layer leader leaders leadership leading leads leafs leafy league leaned leaning
leaps learn learned learning lease leased leasing least leave leaves leaving legal legislation
length letter letters letting level levels libel liberal library license light lights liked
likely likes limit limited limiting lines linked links listed listen listening literally
literature little lived lives living loans local locate located locating location locations
locked locking london longer looked lookin looking looks looming looting losing louis loved
lovely loves lower lucky lunch lying machine magazine magic mainly maintain maintenance major
majority makes making manage managed management manager managers manages manchester manner
manufacture manufactured manufacturers manufactures manufacturing march marginal marine marked
market marketing markets marking markings marriage marriages married martial martin marty
massage massive master match matches material materials mating matter matters maximum maybe
mayor meaning means meant measure measures media medicaid medical medically medicare medicinal
medicine medieval medium meeting meetings member members memories memory mental mention
mentioned merry message messages messi messing metal method methods mexico michael michigan
middle might miles military miller million millions mined minimum mining minister ministry
minor minute minutes missed missing mission missions mistake misty mixed mixer mixes mobile
model models modern modifications molly moment moments momentum monday money monkey monte month
monthly months monty monument moody morning mostly mother motion motor motors mould mountain
mountains mouth mouths moved movement moves movie movies moving multi multiple murder museum
music musical muslim myself named names nation national nations native natural naturally nature
nearby nearly necessary needed needs needy negative neighborhood neither nerds network never
newer newspaper night nobody noise normal normally north northern noses noted notes nothing
notice noticed novel november nuclear number numbered numbers numerous obama object objects
obvious obviously occurred ocean october offer offered offering offers office officer officers
official officially officials often older online opened opening operate operating operation
operations opinion opportunities opportunity opposed opposite opposition option options orange
order ordered orders organise organism organization organizations organize organized origin
original originally other others otherwise otter ourselves outdoors outside outsider outsiders
outstanding overall owned owner owners pacers pacific pacing packaged packages packing paddle
pages paint painting pakistan panel pants paper papers parcels parent parental parents paris
parks parliament particular particularly parties parting partner partnered partners parts party
partying passed passing patent patient patients pattern pavement paving paying payment peace
people percent perfect perfectly perform performance performed performing perhaps period
permanent permission person personal personality personally personnel perspective peter phase
phone photo photos physical picked picture pictures piece pieces pierce piles pilot pilots
pines piper pivot place placed places plane planet planned planning plans plant plants plastic
plastics plate platform played player players playing plays please pleasure plenty point points
poker police policies policing policy political politicians politics populace popular
population portion ports position positions positive possessing possessions possibility
possible possibly posted posts potential pounding pounds powder power powerful powers practice
practices praising praying prefer pregnancy pregnant premier prepare prepared presence present
presented presenter presently presents president presidential press pressure pretty prevent
prevents previous previously price priced prices pricey prick pride primarily primary prime
prince princess principal print printing prior prison prisoner private prize proactive probably
problem problems process produce produced producer produces product production productive
products professional professor profile profit program programme programs progress project
projection projections projects promise promote proof proper properly properties property
proposed prosecution prospective prosperity protect protected protecting protection protections
protector protein proud prove provide provided provides providing public published pulled
purchase purchaser purchases purpose purposes putting quality quarter queen question questions
quick quickly quiet quite quota quote quoted quotes races racing radiation radio rained raise
raised random range rapes rated rates rather reach reached reaching reacting reaction reactions
reactive reading readings reads ready reality realize realized really reason reasonable reasons
receive received receiver receivers receives receiving recent recently recognize recognized
recommend recommended recommends record recorded recording records recovery recurring reduce
reduced reduction reference referred reform refunds refused regained regarding region regional
regions register registered registry regular regularly regulations rejection related relating
relation relations relationship relationships relatively relaxing release released relevant
relief relieved religion religious relocated remain remainder remained remaining remains
remember reminded remove removed repaid repairs repealed repeated repeating replace replaced
replacements replaces replicate reply replying report reported reporting reports represent
representations representative representatives represented represents republic republican
republicans request require required requirements requires research reserve reserved residents
residing resistance resolution resources respect respond response responsibility responsible
restaurant restrained result results retail retailer retailers retaining retarded retirement
retiring return returned returns revealed revenue review reviews revolution rewarding richard
right rights rising rites river roads robert roman rooms round rounding route royal ruining
rules running rural russia russian sacred safely safety sales salty sample saturday saved
saving sayin saying scale scaled scanning scare scared scares scattered scene scenes schedule
scheduled schedules scheme school schools science scientific scientists score scored scotland
scott scottish scratches scratching screamed screen screened screening sealing search season
seasoned seasons seats second secondary seconds secret secretary section sector secure security
seeing seeking seemed seems selected selection sellers selling sells senate senator sending
senior sensational sensations sense sentence separate separately separates september serie
series serious seriously serve served server serves service services serving session setting
settling seven several severe sexual shades shading shady shake shale shall shame shaming shane
shape shaping share shared shares sharing sharks shave shaving shawn shell shells shelly
sheltered shift shifting shipments shipping ships shirt shits shitting shock shocking shoes
shoot shooting shopping shops shore short shorts shots should shoulder shout shouting shouts
shoved showed shower showing shown shows sides sight signal signed significant significantly
signs silver similar simple simply since singer singing single singled singles sinks sipping
sister sites sitting situation skate skill skilled skills skipped skipping slapping slate sleep
sleeping slice slices slightly slipped slipping slowed slowly small smaller smart smelled smile
smith smoke smoked smoker smokes smoking snapping snatched sneaking soaking social society
software solar soldiers solid solution solutions somebody somehow someone somethin something
sometimes somewhat somewhere songs soothing sorry sound sounds source sources south southern
soviet space spade spain spanish spanning spared spark sparkling spawning speak speaking
special species specific specifically speech speed spell spelled spelling spells spend spending
spent spill spilling spirit spitting split splits spoke sport sporting sports spotting spouses
spraying spread spring spying squad square squeezing stabbing stack stacking stadium staff
staffing stage stake stale stall stand standard standards standing stands stare stared staring
stark starr starring stars start started starting startling starts startups starving state
stated statement statements staten states stating station stationed stations statistics stats
statue statues status statutes stayed staying stealing steam steel stephen stepped stepping
steps sterling steve stick sticking sticks stiff still sting stint stirling stirring stock
stockings stocks stoke stolen stone stood stool stopped stopping storage store stored stores
storey stories storm storms stormy story stove straight strained stranded strange strangely
stranger strangers strapped straps strategy stream street streets strength stress stretched
stretching stricken stride strife strike striker strikers strikes striking strip stripe stripes
stripped stripping strive strokes strong stronger struck structure struggle strung stuart stuck
student students studies studio study stuff stuffed stunning stunt stupid style subject
subscriptions success successful suddenly suffer suffered suffering sugar suggest suggested
suggesting suggests suicide summed summer summers sunday super superior supervise supervised
supervision supervisors supervisory supply support supported supporter supporting supports
suppose supposed supreme surely surface surgery surprise surprised survey survive survived
surviving suspect sustained swapping swear swearing sweating sweeping sweet swell swinging
switch swore swung sydney system systemic systems table tackling taken takes taking talent
talked talking talks target taste taught taxes taylor teach teacher teachers teaching teams
technical techniques technology teeth television telling tells temperate temperature
temperatures terms terrible terribly territory testing tests texans texas texts thank thanking
thanks thats theaters theatre their theme themselves theory therapy there therefore these thine
thing things think thinking thinks third thomas thorough those though thought thoughts thousand
thousands thread threat threaten threats three thriving throats through throughout throw
thursday ticket tickets tight times tipped tipping tired title today toddlers together tomorrow
tonight tools total totally touch tough tournament toward towards tower trace tracing track
tracks tract tracy trade trading tradition traditional traffic trailing train trained training
transfer transport transportation trapped trapping traps travel traveled traveler travels treat
treated treatment trees trend trial trick tried tries troops trouble troubled troubles trough
truck trucking truly trump trust truth trying tuesday tuning turkey turks turned turning turns
twenty twice twitter tying types typical typically ultimate ultimately unable unbearable under
understand understanding understood unfortunately union unique unite united units unity
universe university unknown unless unlike until update updated updates upgraded upgrades
uploading upper upset urban urgently useful users using usual usually valley valuable value
values variety various vegas vehicle vehicles venus version vibration vibrations victim victims
victory video videos views village violating violence virginia vision visit visited visiting
visits visual voice volume voted votes voting wager waiter waiting waived wales walked walking
walls walter wanna wanted wanting wants warning warrant warranted warrants washington waste
wasted wasting watch watched watching water waters wealth weapon weapons wearing weather
website wedding weddings wednesday weeds weekend weekly weeks weight weird weirdo welcome
welding wells western whatever wheel whenever where whether which while white whole whore whose
widely wielding william williams willing willis willy wilson window windows windy wines winger
wings winner winning winter winters withdraw withdrawn within without witness woman women
wonder wonderful wondering wording words worked workers working workings works world worldwide
worried worry worrying worse worst worth would wound wrestling write writer writers writing
writings written wrong wrongs wrote yards years yellow yesterday young younger yours yourself
youth youtube zealand
"""
#: Lower-case common words (5+ letters), never changed by `ivr.flow.spelling.Speller`.
COMMON_WORDS = frozenset(_WORDS.split())
