"""Imports point one way, down the layers, and none hides inside a function.

The layers, top first (a module may import its own package and anything lower):

    ivr.app → ivr.web → ivr.conversation → ivr.handoff | ivr.analytics (peers: neither imports
    the other) → ivr.jobs → ivr.runtime → ivr.speech | ivr.semantic (peers) → ivr.twilio → ivr.store → ivr.config
    → ivr.logs → ivr.flow (pure: see tests/flow/test_purity.py) → ivr (the version)

Speech sits above twilio because a call's Media Stream speaks Twilio's message format
(`ivr.speech.call_stream` reads `ivr.twilio.media`); neither needs the store, so the store sits
below both. `ivr.sim`, the carrier simulator, stands beside the product: it imports only
`ivr.twilio`, `ivr.speech` and `ivr.config`, and only `ivr.app` (the demo, `ivr simulate`)
imports it.

Flask (and its extensions) is imported only under `ivr.web`: code below the web layer learns
what it needs of a request (where it arrived: `ivr.twilio.urls.arrived_on`) as plain values.

The check reads the source (no module is imported), so a cycle cannot hide from it. An import
inside a function hides a dependency from a reader; one that loads an optional heavy library
on purpose (Vosk, pyttsx3, the holiday tables, the sentence encoder) says why on its line with `# lazy:`.

And Redis stays in the store: outside ivr.store (ivr.jobs for rq's queues, ivr.runtime and
ivr.app for the connection) no module builds a key, batches raw commands, holds the connection
for anything but rq, or imports redis for more than its exception types
(`test_only_the_store_speaks_redis` states the rule exactly).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import redis
import redis.exceptions

from ivr.config.settings import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "ivr"

#: Each layer's rank (higher imports lower); peers share a rank and may not import each other.
LAYERS = {
    "ivr.app": 13,
    "ivr.web": 12,
    "ivr.conversation": 11,
    "ivr.handoff": 10,
    "ivr.analytics": 10,
    "ivr.jobs": 9,
    "ivr.runtime": 8,
    "ivr.speech": 7,
    "ivr.semantic": 7,
    "ivr.twilio": 6,
    "ivr.store": 5,
    "ivr.config": 4,
    "ivr.logs": 3,
    "ivr.flow": 2,
    "ivr": 1,
}
#: The simulator's whole world besides itself.
SIM_MAY_IMPORT = {"ivr.sim", "ivr.twilio", "ivr.speech", "ivr.config"}
#: The only layer that may import the simulator.
SIM_IMPORTED_BY = {"ivr.app"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. ivr.web.sms
    target: str  # what it imports, e.g. ivr.conversation.sms
    line: int
    local: bool  # inside a function
    text: str  # the source line

    def __str__(self) -> str:
        return f"{self.module} -> {self.target} ({self.line})"


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def targets(node: ast.Import | ast.ImportFrom, module: str, path: Path) -> list[str]:
    """The modules an import statement names (`from ivr.x import y` names ivr.x and, when y
    is a module, ivr.x.y; the layer is the same either way)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: resolve against this module's package
        package = module.split(".")
        if path.name != "__init__.py":
            package = package[:-1]
        base = package[: len(package) - node.level + 1]
        return [".".join(base + ([node.module] if node.module else []))]
    return [node.module or ""]


def imports() -> Iterator[Import]:
    """Every import statement under ivr/, read from the source."""
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        yield from walk(ast.parse(source, str(path)), False, path, source.splitlines())


def walk(node: ast.AST, local: bool, path: Path, lines: list[str]) -> Iterator[Import]:
    module = module_name(path)
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            for target in targets(child, module, path):
                yield Import(module, target, child.lineno, local, lines[child.lineno - 1])
        inner = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        yield from walk(child, local or inner, path, lines)


def layer_of(module: str) -> str:
    """The layer a module belongs to: its longest listed prefix (ivr.sim is its own)."""
    if module == "ivr.sim" or module.startswith("ivr.sim."):
        return "ivr.sim"
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in LAYERS:
            return prefix
    raise AssertionError(f"{module} is in no layer: add its package to LAYERS")


def is_ivr(target: str) -> bool:
    return target == "ivr" or target.startswith("ivr.")


def crossings(found: list[Import]) -> list[str]:
    """Every import that points up a layer, across peers, or out of the simulator's bounds."""
    bad = []
    for imp in found:
        if not is_ivr(imp.target):
            continue
        mine, theirs = layer_of(imp.module), layer_of(imp.target)
        if mine == theirs:
            continue
        if mine == "ivr.sim":
            ok = theirs in SIM_MAY_IMPORT
        elif theirs == "ivr.sim":
            ok = mine in SIM_IMPORTED_BY
        else:
            ok = LAYERS[theirs] < LAYERS[mine]
        if not ok:
            bad.append(str(imp))
    return bad


def hidden(found: list[Import]) -> list[str]:
    """Imports inside a function: any of ivr's own, or another without a `# lazy:` reason."""
    return [str(imp) for imp in found
            if imp.local and (is_ivr(imp.target) or "# lazy:" not in imp.text)]


def flask_outside_web(found: list[Import]) -> list[str]:
    """Every import of Flask or a Flask extension (flask_sock, ...) outside `ivr.web`."""
    return [str(imp) for imp in found
            if imp.target.split(".")[0].startswith("flask") and layer_of(imp.module) != "ivr.web"]


def test_every_module_has_a_layer():
    for imp in imports():
        layer_of(imp.module)


def test_imports_point_down_the_layers():
    assert crossings(list(imports())) == []


def test_the_simulator_stays_beside_the_product():
    found = list(imports())
    sim = [imp for imp in found if layer_of(imp.module) == "ivr.sim" and is_ivr(imp.target)]
    assert sim, "the scan sees the simulator's imports"
    assert {layer_of(imp.target) for imp in sim} <= SIM_MAY_IMPORT
    users = {layer_of(imp.module) for imp in found
             if is_ivr(imp.target) and layer_of(imp.target) == "ivr.sim"}
    assert users - {"ivr.sim"} <= SIM_IMPORTED_BY


def test_flask_is_imported_only_by_the_web_layer():
    found = list(imports())
    assert any(imp.target == "flask" for imp in found), "the scan sees the web layer's Flask"
    assert flask_outside_web(found) == []


def test_no_import_hides_inside_a_function():
    assert hidden(list(imports())) == []


def test_the_checks_catch_what_they_forbid():
    """Upward, across peers, out of the simulator's bounds, and hidden: each is reported."""
    up = Import("ivr.runtime", "ivr.conversation.service", 7, False, "")
    across = Import("ivr.handoff.notify", "ivr.analytics.metrics", 3, False, "")
    sim_out = Import("ivr.sim.rest", "ivr.store.records", 4, False, "")
    into_sim = Import("ivr.web.voice", "ivr.sim", 5, False, "")
    down = Import("ivr.web.sms", "ivr.conversation.sms", 9, False, "")
    assert crossings([up, across, sim_out, into_sim, down]) == [
        "ivr.runtime -> ivr.conversation.service (7)", "ivr.handoff.notify -> "
        "ivr.analytics.metrics (3)", "ivr.sim.rest -> ivr.store.records (4)",
        "ivr.web.voice -> ivr.sim (5)"]
    local = Import("ivr.web.sms", "ivr.conversation.sms", 9, True, "    from ... import x")
    lazy = Import("ivr.speech.vosk", "vosk", 60, True, "    import vosk  # lazy: 1 s to load")
    bare = Import("ivr.speech.vosk", "vosk", 60, True, "    import vosk")
    lazy_ivr = Import("ivr.web.sms", "ivr.flow", 9, True, "    import ivr.flow  # lazy: no")
    flask_below = Import("ivr.handoff.transfer", "flask", 20, False, "")
    sock_below = Import("ivr.conversation.voice", "flask_sock", 21, False, "")
    flask_in_web = Import("ivr.web.voice", "flask", 19, False, "")
    assert flask_outside_web([flask_below, sock_below, flask_in_web]) == [
        "ivr.handoff.transfer -> flask (20)", "ivr.conversation.voice -> flask_sock (21)"]
    assert hidden([local, lazy, bare, lazy_ivr]) == [
        "ivr.web.sms -> ivr.conversation.sms (9)", "ivr.speech.vosk -> vosk (60)",
        "ivr.web.sms -> ivr.flow (9)"]


# -- Redis stays in the store -------------------------------------------------------------------
#: Layers that may hold the Redis connection and speak to it: the store (every key and command),
#: the jobs (rq's queues and registries: rq owns its keys), the runtime (builds the connection)
#: and the app (wires it).
REDIS_LAYERS = {"ivr.store", "ivr.jobs", "ivr.runtime", "ivr.app"}
#: Calls that build a key, open a batch of raw commands, or queue a raw closing write.
STORE_ONLY_CALLS = {"key", "global_key", "pipeline", "later"}
#: Where the connection may go from the other layers: rq's side.
RQ_MODULES = ("ivr.jobs", "rq")


@dataclass(frozen=True)
class Touch:
    module: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.module} ({self.line}): {self.what}"


def _is_exception(name: str) -> bool:
    """Whether `redis.<name>` (or `redis.exceptions.<name>`) is an exception class."""
    found = getattr(redis, name, None) or getattr(redis.exceptions, name, None)
    return isinstance(found, type) and issubclass(found, BaseException)


def _receiver(node: ast.expr) -> str:
    """The last name of a call's receiver: `store` for `runtime.store.key(...)`."""
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _callee(node: ast.Call) -> str:
    return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")


def connection_takers(trees: dict[str, ast.Module]) -> set[str]:
    """Functions of ivr that take rq's connection (a parameter annotated `Connection`, the
    alias `ivr.jobs.queues` gives rq's connection type): e.g. `enqueue_text`."""
    names = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                params = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                if any(isinstance(p.annotation, ast.Name) and p.annotation.id == "Connection"
                       for p in params):
                    names.add(node.name)
    return names


def redis_touches(module: str, tree: ast.Module, takers: set[str]) -> list[Touch]:
    """What `module` does with Redis that only the store should (see the test's docstring)."""
    rq_names = set(takers)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(RQ_MODULES):
            rq_names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            rq_names |= {alias.asname or alias.name for alias in node.names
                         if alias.name.startswith(RQ_MODULES)}
    handed = set()  # `.redis` nodes given to rq's side as an argument
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            callee = node.func
            while isinstance(callee, ast.Attribute):  # `jobs.failed_jobs`, `Worker.count`
                callee = callee.value
            names = {_callee(node), getattr(callee, "id", "")}
            if names & rq_names:
                handed |= {id(arg) for arg in node.args + [k.value for k in node.keywords]}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Touch(module, node.lineno, f"import {a.name}") for a in node.names
                      if a.name.split(".")[0] == "redis" and a.name != "redis"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "redis":
            found += [Touch(module, node.lineno, f"from {node.module} import {a.name}")
                      for a in node.names if not _is_exception(a.name)]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == "redis" and not _is_exception(node.attr):
            found.append(Touch(module, node.lineno, f"redis.{node.attr}"))
        elif isinstance(node, ast.Attribute) and node.attr == "redis" and id(node) not in handed:
            found.append(Touch(module, node.lineno, f"{ast.unparse(node)} not given to rq"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in STORE_ONLY_CALLS:
            if node.func.attr in ("key", "global_key") \
                    and not _receiver(node.func.value).endswith("store"):
                continue  # not the store's: e.g. a YAML node's `lc.key(...)` (a position)
            found.append(Touch(module, node.lineno, f".{node.func.attr}(...)"))
    return sorted(found, key=lambda t: t.line)


def test_only_the_store_speaks_redis():
    """Outside ivr.store (and ivr.jobs for rq's queues, ivr.runtime that builds the
    connection, ivr.app that wires it), no module spells a Redis key or command:

    - no call of `.key(...)` or `.global_key(...)` on the store (a receiver named `store`,
      `x.store` or `x_store`: how the code names a `Store`), and no `.pipeline(...)` or
      `.later(...)` on anything (a batch of raw commands, a raw closing write); one round
      trip is asked for with `Store.batch()` and filled by the store modules' `queue_*`;
    - the connection (`x.redis`) is read only as an argument of a call to rq's side: a name
      imported from ivr.jobs or rq, or a function of ivr taking the jobs' `Connection`;
    - `redis` is imported only for its exception types (`redis.RedisError`,
      `from redis import RedisError`): catching Redis trouble is everyone's business.

    The store's modules name their families (`ivr.store.sessions`, `ivr.store.menus`, ...);
    docs/architecture.md's "Redis keys" table names the module of each.
    """
    trees = {module_name(path): ast.parse(path.read_text(encoding="utf-8"), str(path))
             for path in sorted(PACKAGE.rglob("*.py"))}
    takers = connection_takers(trees)
    assert "enqueue_text" in takers, "the scan sees functions taking rq's connection"
    touches = [str(touch) for module, tree in trees.items()
               if layer_of(module) not in REDIS_LAYERS
               for touch in redis_touches(module, tree, takers)]
    assert touches == []


def test_the_redis_check_catches_what_it_forbids():
    source = '''
import redis
from redis import RedisError, Redis
from rq.job import Job
from ivr.jobs.queues import enqueue

def f(runtime, lc):
    runtime.store.key("b", "sms-menu", "+1")
    runtime.store.global_key("webhook", "t")
    runtime.redis.pipeline()
    runtime.store.later(lambda conn: conn.delete("k"))
    runtime.redis.get("k")
    enqueue(runtime.redis, f)
    Job("id", connection=runtime.redis)
    enqueue_text(runtime.redis, "b")
    lc.key(3)
    conn = redis.Redis()
    try:
        pass
    except redis.RedisError:
        pass
'''
    found = [f"{t.line}: {t.what}" for t in
             redis_touches("ivr.web.x", ast.parse(source), {"enqueue_text"})]
    assert found == [
        "3: from redis import Redis",
        "8: .key(...)",
        "9: .global_key(...)",
        "10: .pipeline(...)",
        "10: runtime.redis not given to rq",
        "11: .later(...)",
        "12: runtime.redis not given to rq",
        "17: redis.Redis"]
