"""What the handlers of an installed Python distribution's MCP tools do, read from its source without running it.

Part of mcp-catalogue (crawler/registries/pypi/effects.ts runs it inside the sandbox, with `python3 -I -S -B`, the
install root mounted read-only and no network, next to static_tools.py whose helpers it imports). Standard library
only. Every file it reads is hostile: each is parsed with `ast.parse` and walked; no module of the package is
imported, compiled to bytecode or executed.

Usage:
    static_effects.py [limits] <site-packages> <name>-<version>.dist-info
        reads the tool names as JSON on stdin, `{"tools": ["name", ...]}`, and the `.py` files the distribution's
        RECORD lists (its own modules), then, when a handler calls into them, the modules of its direct
        dependencies (Requires-Dist without an extra marker) that are installed in the same site-packages.
    static_effects.py [limits] --stdin
        reads `{"tools": [...], "files": {"pkg/mod.py": "source", ...}, "dependencies": {"dist-1.0": {"path": "source"}}}`
        on stdin (for tests; the text is the caller's own).
    limits: --max-files N (3000), --max-file-bytes N (2 MiB), --max-modules N (400), --max-parsed-bytes N (8 MiB:
        a parsed module takes about 60 times its size in memory),
        --max-depth N (4), --max-nodes N (150000, AST nodes visited per tool), --soft-deadline-ms N (20000).

Prints one JSON object on stdout and exits 0, whatever the files hold:
    {"tools": [ToolCodeEffects, ...] (one per distinct name, in input order; names are not echoed),
     "modulesParsed": int, "filesUnparsed": int, "unparsed": [{"file", "error"}] (at most 20),
     "dependencies": ["name", ...], "truncated": bool}
where ToolCodeEffects is `{"handlerFound", "handler"?: {"file", "line"}, "effects": [{"kind", "detail", "file",
"line", "call"}], "truncated"?: true}` as records/code-effects.ts defines it. Files are relative to site-packages
(the paths inside the wheel); a dependency's file is `<distribution>-<version>/<path inside its wheel>`. Lines are
1-based. The output is at most 8 MiB: past that, the remaining tools are given as not analysed (handlerFound false,
truncated).

Handlers, best first (a tool's first handler of the best rank wins):
1. a function decorated `@<x>.tool`, `@<x>.tool()`, `@<x>.tool("name")`, `@<x>.tool(name=...)` (MCP SDK FastMCP,
   FastMCP 2), a function given to `<x>.add_tool(fn, name=...)`, `<x>.tool(fn, ...)` or `Tool.from_function(fn, ...)`;
2. the branch for the tool's name in a dispatcher: `if name == "x":` (also `elif`, `"x" == name`, `name in ("x",
   "y")`), `match name:` / `case "x":` (also `case "a" | "b":`), where the compared value is named like a name,
   tool, method, command, action or type (`name`, `tool_name`, `request.params.name`), and a class whose `name`
   is the tool's with a `run`/`execute`/`__call__`/... method;
3. any other call that passes the tool's name as a literal together with a function (`register("x", handler)`);
4. a function under the tool's name as a key of a dict literal (`HANDLERS = {"x": handle_x}`);
5. a function named like the tool (`x`, `handle_x`, `_x`, `x_handler`, `tool_x`).

From a handler every call is looked at. A call into the package or a listed dependency (a function or class of
the module, an imported one, a method through `self`, `cls`, `super()`, a class or an instance the code creates) is
followed, up to --max-depth calls deep; any other call is matched against known side effects:
| kind | recognised (detail) |
|---|---|
| fs.write | `open(..., "w"/"a"/"x"/"+")` (open), `Path.write_text/write_bytes/touch/mkdir/rename/replace/symlink_to` (Path.write_text), `os.makedirs/mkdir/rename/replace/chmod/...`, `shutil.copy*/move/...`, `tempfile.mkdtemp/mkstemp`, archive `extractall` |
| fs.delete | `os.remove/unlink/rmdir/removedirs`, `shutil.rmtree`, `Path.unlink/rmdir`, `send2trash` |
| fs.read | `open(...)` for reading, `Path.read_text/read_bytes/iterdir/glob/rglob`, `os.listdir/scandir/walk` |
| spawn | `subprocess.*` (subprocess.run), `os.system/popen/exec*/spawn*`, `asyncio.create_subprocess_*`, `pexpect`, `pty.spawn`, `exec_command` |
| eval | `eval`, `exec`, `compile` (the builtins), `runpy.run_*` |
| http | requests, httpx, aiohttp, urllib3 (module functions, `request(method, url)`, and methods of their clients and sessions), `urllib.request.urlopen` (POST with data): the method and, when the URL is literal, its host (`POST api.example.com`); a client-like object's verb with a literal path |
| sql | `execute/executemany/executescript/exec_driver_sql/fetch*/query/sql/read_sql` with a literal statement: its verb (`DELETE`); SQLAlchemy `text("...")` and `select/insert/update/delete(...)`; `dynamic` for a statement that is not literal on a database driver's object or a cursor, connection or session; pymongo and motor methods (`DELETE delete_many`) |
| browser | playwright, selenium and pyppeteer objects, or a page, browser, frame, driver, locator: `goto` (with its host), `click`, `fill`, `type`, `press`, `select` (select_option), `setInputFiles`, `evaluate`, ...; selenium's `get` is `goto`, `send_keys` is `type` |
| payment | Stripe `Charge/PaymentIntent/Refund/Transfer/Payout/...` and `StripeClient` services (charges.create, paymentIntents.capture, refunds.create, ...), web3 and wallets (sendTransaction, sendRawTransaction, signTransaction, transact, transfer, swap, ...) |
| message | smtplib `sendmail/send_message`, Slack `chat_postMessage` (chat.postMessage), `messages.create` (not an LLM SDK's), `messages.send`, `emails.send`, `send_mail/send_email/send_sms/...`, SendGrid `send`, `channel.send` |
Details follow the JavaScript reader's (crawler/static/sinks.ts), so `isWritingEffect` reads them the same way.

Bounds: the limits above; a file with a line longer than 64 KiB is not parsed (CPython's parser is quadratic in the
tokens of one line); per tool at most 40 effects and the node budget; a soft deadline after which no more
files are parsed and no more handlers followed (what was read is printed, marked truncated); resolution of names
and values at most 12 steps deep; a call's text at most 160 characters.
"""
import ast
import json
import os
import re
import sys
import time
import warnings

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from static_tools import MAX_LINE_BYTES, keywords_of, literal_string, own_modules, read_source, tool_decorator  # noqa: E402

MAX_EFFECTS = 40
MAX_CALL_TEXT = 160
MAX_OUTPUT_BYTES = 8 * 1024 * 1024
MAX_TOTAL_READ_BYTES = 64 * 1024 * 1024
MAX_REPORTED_ERRORS = 20
MAX_RESOLVE_DEPTH = 12
MAX_DEPENDENCIES = 20
MAX_DEPENDENCY_FILES = 2000
MAX_STRING = 2000
MAX_NAMES = 5000
MAX_LABEL = 300

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
TOKEN = re.compile(rb"[\w.-]+")
WORD = re.compile(rb"\w+")
SIMPLE_NAME = re.compile(r"^[\w.-]+$")
NAME_DISCRIMINANT = re.compile(r"name|tool|method|command|action|type", re.IGNORECASE)
DIST_INFO = re.compile(r"^(.+)-([^-]+)\.dist-info$")
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)

#: Dependencies never followed: MCP SDKs and frameworks, and libraries whose calls are recognised where they are made.
NOT_FOLLOWED = re.compile(
    r"^(?:mcp|fastmcp|mcp-.*|pydantic.*|typing-extensions|anyio|starlette|sse-starlette|uvicorn|fastapi|httpx.*|requests.*|aiohttp.*|urllib3|"
    r"stripe|web3|eth-.*|solana|solders|boto3|botocore|aiobotocore|google-.*|googleapis-.*|azure-.*|openai|anthropic|langchain.*|llama-index.*|"
    r"sqlalchemy|psycopg.*|asyncpg|pymysql|mysqlclient|mysql-connector-python|aiomysql|aiosqlite|pymongo|motor|redis|duckdb|snowflake-.*|"
    r"playwright|selenium|pyppeteer|slack-sdk|slack-bolt|twilio|sendgrid|numpy|pandas|scipy|click|typer|rich|python-dotenv|pyyaml|jinja2|"
    r"beautifulsoup4|lxml|markdown.*|certifi|idna|charset-normalizer|attrs|cryptography|pyjwt|authlib|websockets|tenacity|loguru|structlog)$"
)

# -- side effects ------------------------------------------------------------------------------------------------

OS_DELETE = {"remove", "unlink", "rmdir", "removedirs"}
OS_WRITE = {"rename", "renames", "replace", "makedirs", "mkdir", "symlink", "link", "chmod", "lchmod", "chown", "lchown", "truncate", "utime", "mkfifo", "mknod"}
OS_READ = {"listdir", "scandir", "walk", "fwalk"}
OS_SPAWN = re.compile(r"^(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?|startfile|forkpty)$")
SHUTIL_WRITE = {"copy", "copy2", "copyfile", "copytree", "move", "copymode", "copystat", "chown", "make_archive", "unpack_archive", "copyfileobj"}
PATH_WRITE = {"write_text", "write_bytes", "touch", "mkdir", "rename", "replace", "symlink_to", "hardlink_to", "link_to", "chmod", "lchmod"}
PATH_DELETE = {"unlink", "rmdir"}
PATH_READ = {"read_text", "read_bytes", "iterdir", "glob", "rglob"}
#: Path methods no other common object has: recognised on a receiver of unknown type.
PATH_ONLY = {"write_text", "write_bytes", "read_text", "read_bytes", "touch", "symlink_to", "hardlink_to", "iterdir", "rglob", "unlink", "rmdir", "mkdir"}
SUBPROCESS = {"run", "call", "check_call", "check_output", "Popen", "getoutput", "getstatusoutput"}

HTTP_VERBS = {"get", "post", "put", "patch", "delete", "head", "options"}
HTTP_PACKAGES = {"requests", "httpx", "aiohttp", "urllib3", "niquests", "treq", "grequests", "pycurl"}
#: Constructors whose instances send requests: `requests.Session()`, `httpx.AsyncClient()`, ...
HTTP_CLIENTS = {"Session", "session", "Client", "AsyncClient", "ClientSession", "PoolManager", "ProxyManager", "HTTPConnectionPool", "HTTPSConnectionPool", "AsyncSession"}
CLIENT_NAME = re.compile(r"client|api|http|session|request|rest|sdk", re.IGNORECASE)

SQL_METHODS = {"execute", "executemany", "executescript", "exec_driver_sql", "fetch", "fetchrow", "fetchval", "fetchall", "fetchone", "fetchmany", "query", "sql", "read_sql", "read_sql_query", "raw", "execute_query", "run_sync"}
SQL_DYNAMIC_METHODS = {"execute", "executemany", "executescript", "exec_driver_sql", "fetch", "fetchrow", "fetchval", "read_sql", "read_sql_query"}
SQL_DRIVERS = {
    "sqlite3", "aiosqlite", "psycopg", "psycopg2", "psycopg_pool", "asyncpg", "pymysql", "MySQLdb", "mysql", "aiomysql", "aiopg", "pymssql", "pyodbc",
    "cx_Oracle", "oracledb", "duckdb", "snowflake", "sqlalchemy", "databases", "clickhouse_connect", "clickhouse_driver", "trino", "sqlite_utils",
    "pandas", "pg8000", "ibm_db", "teradatasql", "vertica_python", "psycopg_binary", "libsql_client", "libsql_experimental", "turso",
}
SQL_RECEIVER = re.compile(r"^_*(?:cursor|cur|curs|conn|connection|con|cnx|db|database|session|engine|tx|transaction|pool|sqlite|sql)$", re.IGNORECASE)
SQL_VERB = re.compile(
    r"^\s*(?:(?:--[^\n]*\n|/\*[\s\S]*?\*/)\s*)*\(?\s*(SELECT|INSERT|UPDATE|DELETE|DROP|TRUNCATE|CREATE|ALTER|REPLACE|MERGE|UPSERT|GRANT|REVOKE|WITH|SHOW|DESCRIBE|EXPLAIN|PRAGMA|VACUUM)\b",
    re.IGNORECASE,
)
SQL_WITH_MAIN = re.compile(r"\)\s*(SELECT|INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
SQLALCHEMY_VERBS = {"select": "SELECT", "insert": "INSERT", "update": "UPDATE", "delete": "DELETE"}
MONGO = {
    "find": "SELECT", "find_one": "SELECT", "aggregate": "SELECT", "count_documents": "SELECT", "distinct": "SELECT",
    "insert_one": "INSERT", "insert_many": "INSERT", "update_one": "UPDATE", "update_many": "UPDATE", "replace_one": "UPDATE",
    "find_one_and_update": "UPDATE", "find_one_and_replace": "UPDATE", "bulk_write": "UPDATE",
    "delete_one": "DELETE", "delete_many": "DELETE", "find_one_and_delete": "DELETE",
    "drop": "DROP", "drop_database": "DROP", "drop_collection": "DROP", "drop_index": "DROP", "drop_indexes": "DROP",
}

BROWSER_PACKAGES = {"playwright", "selenium", "pyppeteer", "undetected_chromedriver", "patchright", "camoufox", "nodriver", "seleniumbase", "splinter", "helium", "browser_use"}
BROWSER_NAMES = re.compile(r"^_*(?:page|browser|frame|context|tab|driver|webdriver|locator|element|active_page|current_page|main_frame|browser_page)$", re.IGNORECASE)
#: Python method → the JavaScript reader's detail.
BROWSER_METHODS = {
    "goto": "goto", "click": "click", "dblclick": "dblclick", "type": "type", "fill": "fill", "evaluate": "evaluate", "press": "press",
    "select_option": "select", "set_content": "setContent", "check": "check", "uncheck": "uncheck", "set_input_files": "setInputFiles",
    "tap": "tap", "hover": "hover", "send_keys": "type", "press_sequentially": "type", "execute_script": "evaluate", "submit": "click",
}

#: Stripe's resource classes and StripeClient services → the JavaScript names.
PAYMENT_RESOURCES = {
    "Charge": "charges", "charges": "charges", "PaymentIntent": "paymentIntents", "payment_intents": "paymentIntents", "Refund": "refunds", "refunds": "refunds",
    "Payout": "payouts", "payouts": "payouts", "Transfer": "transfers", "transfers": "transfers", "Subscription": "subscriptions", "subscriptions": "subscriptions",
    "Invoice": "invoices", "invoices": "invoices", "Session": "sessions", "sessions": "sessions", "PaymentLink": "paymentLinks", "payment_links": "paymentLinks",
    "SetupIntent": "setupIntents", "setup_intents": "setupIntents", "Topup": "topups", "topups": "topups", "Payment": "payments", "payments": "payments",
    "Order": "orders", "orders": "orders", "Capture": "captures", "captures": "captures", "Authorization": "authorizations", "authorizations": "authorizations",
}
PAYMENT_PAIRS = {
    "charges.create", "charges.capture", "paymentIntents.create", "paymentIntents.confirm", "paymentIntents.capture", "refunds.create", "payouts.create",
    "transfers.create", "subscriptions.create", "subscriptions.cancel", "subscriptions.del", "invoices.pay", "invoices.sendInvoice", "sessions.create",
    "paymentLinks.create", "setupIntents.confirm", "topups.create", "payments.create", "orders.capture", "captures.refund", "authorizations.capture",
}
PAYMENT_METHODS = {
    "send_transaction": "sendTransaction", "sign_transaction": "signTransaction", "send_raw_transaction": "sendRawTransaction",
    "sign_and_send_transaction": "signAndSendTransaction", "send_and_confirm_transaction": "sendAndConfirmTransaction",
    "send_and_confirm_raw_transaction": "sendAndConfirmRawTransaction", "write_contract": "writeContract", "transact": "transact",
    "transfer": "transfer", "transfer_from": "transferFrom", "safe_transfer_from": "safeTransferFrom", "swap": "swap", "execute_swap": "executeSwap",
    "send_payment": "sendPayment", "create_payment": "createPayment", "submit_order": "submitOrder", "place_order": "placeOrder",
    "sendTransaction": "sendTransaction", "sendRawTransaction": "sendRawTransaction", "signTransaction": "signTransaction",
}
MESSAGE_PAIRS = {"messages.create", "chat.postMessage", "chat.scheduleMessage", "chat.postEphemeral", "emails.send", "messages.send", "drafts.send", "calls.create"}
SLACK_METHODS = {"chat_postMessage": "chat.postMessage", "chat_scheduleMessage": "chat.scheduleMessage", "chat_postEphemeral": "chat.postEphemeral"}
MESSAGE_METHODS = {
    "sendmail", "send_message", "send_mail", "send_mass_mail", "send_email", "send_sms", "send_text", "send_template", "send_photo", "send_document",
    "publish_message", "sendMessage", "sendMail", "sendEmail", "send_messages",
}
LLM_PACKAGES = {"anthropic", "openai", "google", "groq", "mistralai", "cohere", "ollama", "litellm", "together", "vertexai"}
LLM_NAMES = re.compile(r"anthropic|claude|openai|llm|gpt|model|^ai$|genai|beta", re.IGNORECASE)
SEND_RECEIVERS = re.compile(r"^_*(?:channel|thread|webhook|user|member|dm|chat)$", re.IGNORECASE)


def sql_verb(text):
    """The verb of an SQL statement's text (`WITH ... DELETE` reads as its last data verb), or None."""
    match = SQL_VERB.match(text)
    if not match:
        return None
    verb = match.group(1).upper()
    if verb != "WITH":
        return verb
    last = None
    for hit in SQL_WITH_MAIN.finditer(text):
        last = hit.group(1).upper()
    return last or "SELECT"


def host_of(text):
    match = re.match(r"^https?://([^/?#\s:@]+)", text or "", re.IGNORECASE)
    return match.group(1).lower()[:100] if match else None


def http_detail(method, host):
    verb = (method or "GET").upper()[:10]
    return "%s %s" % (verb, host) if host else verb


def camel(name):
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


# -- the program: modules by dotted name, parsed on demand --------------------------------------------------------


class Module:
    """One parsed module: its tree, lines, parents and top-level bindings."""

    def __init__(self, name, label, package, own, tree, source):
        self.name = name
        self.label = label
        self.package = package
        self.own = own
        self.tree = tree
        self.source = source
        self.lines = source.split(b"\n")
        self.mentions_mcp = b"mcp" in source.lower()
        self.parents = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        self.bindings = collect_bindings(tree.body)

    def line_text(self, node):
        """The source text of a node, whitespace collapsed, at most MAX_CALL_TEXT characters."""
        start, end = getattr(node, "lineno", 1) - 1, getattr(node, "end_lineno", None)
        col, end_col = getattr(node, "col_offset", 0), getattr(node, "end_col_offset", None)
        if start < 0 or start >= len(self.lines):
            return ""
        budget = 4 * MAX_CALL_TEXT
        pieces = []
        line = self.lines[start]
        if end is None or end - 1 == start:
            pieces.append(line[col:end_col if end_col is not None else col + budget][:budget])
        else:
            pieces.append(line[col:col + budget])
            index = start + 1
            while index < min(end, len(self.lines)) and sum(len(p) for p in pieces) < budget:
                chunk = self.lines[index]
                pieces.append(chunk[:end_col] if index == end - 1 and end_col is not None else chunk)
                index += 1
        text = b" ".join(pieces)[:budget].decode("utf-8", "replace")
        text = " ".join(text.split())
        return text if len(text) <= MAX_CALL_TEXT else text[: MAX_CALL_TEXT - 1] + "\u2026"


def collect_bindings(body, into=None):
    """Names bound by statements (not inside nested functions or classes): name -> list of (kind, ...)."""
    bindings = {} if into is None else into
    stack = list(reversed(body))

    def bind(name, binding):
        entries = bindings.setdefault(name, [])
        if len(entries) < 8:
            entries.append(binding)

    while stack:
        node = stack.pop()
        if isinstance(node, FUNCTIONS):
            bind(node.name, ("def", node))
            continue
        if isinstance(node, ast.ClassDef):
            bind(node.name, ("class", node))
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bind(alias.asname, ("import", alias.name))
                else:
                    bind(alias.name.split(".")[0], ("import", alias.name.split(".")[0]))
            continue
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    bind(alias.asname or alias.name, ("from", node.level, node.module or "", alias.name))
            continue
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    bind(target.id, ("value", node.value))
                elif isinstance(target, (ast.Tuple, ast.List)):
                    for element in target.elts:
                        if isinstance(element, ast.Name):
                            bind(element.id, ("unknown",))
            continue
        if isinstance(node, ast.AnnAssign):
            if isinstance(node.target, ast.Name):
                bind(node.target.id, ("value", node.value) if node.value is not None else ("annotated", node.annotation))
            continue
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if isinstance(item.optional_vars, ast.Name):
                    bind(item.optional_vars.id, ("value", item.context_expr))
            stack.extend(reversed(node.body))
            continue
        if isinstance(node, (ast.For, ast.AsyncFor)):
            if isinstance(node.target, ast.Name):
                bind(node.target.id, ("unknown",))
            stack.extend(reversed(node.orelse))
            stack.extend(reversed(node.body))
            continue
        if isinstance(node, (ast.If, ast.While)):
            stack.extend(reversed(node.orelse))
            stack.extend(reversed(node.body))
            continue
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            stack.extend(reversed(node.finalbody))
            stack.extend(reversed(node.orelse))
            for handler in reversed(node.handlers):
                if handler.name:
                    bind(handler.name, ("unknown",))
                stack.extend(reversed(handler.body))
            stack.extend(reversed(node.body))
            continue
        if isinstance(node, ast.Match):
            for case in reversed(node.cases):
                stack.extend(reversed(case.body))
            continue
    return bindings


def module_name_of(relative):
    """(dotted name, is package) of a `.py` path inside site-packages, or None when it cannot be imported by name."""
    parts = relative[:-3].split("/")
    package = parts[-1] == "__init__"
    if package:
        parts.pop()
    if not parts or not all(IDENTIFIER.match(part) for part in parts):
        return None
    return ".".join(parts), package


class Program:
    """The modules a handler may reach: the distribution's own and its listed dependencies', parsed on demand."""

    def __init__(self, max_file_bytes, max_modules, max_parsed_bytes, late):
        self.index = {}
        self.prefixes = set()
        self.modules = {}
        self.max_file_bytes = max_file_bytes
        self.max_modules = max_modules
        self.max_parsed_bytes = max_parsed_bytes
        self.late = late
        self.parsed = 0
        self.parsed_bytes = 0
        self.unparsed = []
        self.unparsed_count = 0
        self.exhausted = False

    def add(self, relative, label, source, own):
        named = module_name_of(relative)
        if named is None or named[0] in self.index:
            return
        name, package = named
        self.index[name] = (label, source, own, package)
        parts = name.split(".")
        for end in range(1, len(parts) + 1):
            self.prefixes.add(".".join(parts[:end]))

    def note(self, label, error):
        self.unparsed_count += 1
        if len(self.unparsed) < MAX_REPORTED_ERRORS:
            self.unparsed.append({"file": label[:MAX_LABEL], "error": error[:300]})

    def read(self, name):
        """The bytes of a module in the index (reading it if it is a path), or None."""
        label, source, _, _ = self.index[name]
        if isinstance(source, str):
            source = read_source(source, self.max_file_bytes)
            if source is None:
                self.note(label, "not a regular file, or larger than %d bytes" % self.max_file_bytes)
                return None
        if len(source) > self.max_file_bytes:
            self.note(label, "larger than %d bytes" % self.max_file_bytes)
            return None
        if len(source) > MAX_LINE_BYTES and max(map(len, source.split(b"\n"))) > MAX_LINE_BYTES:
            self.note(label, "has a line longer than %d bytes" % MAX_LINE_BYTES)
            return None
        return source

    def module(self, name, source=None):
        """The parsed module of a dotted name of the program (`source`: its bytes, when already read); None when unknown,
        unreadable, unparsable or over budget."""
        if name in self.modules:
            return self.modules[name]
        if name not in self.index:
            return None
        if self.parsed >= self.max_modules or self.parsed_bytes >= self.max_parsed_bytes or self.late():
            self.exhausted = True
            return None
        self.modules[name] = None
        label, _, own, package = self.index[name]
        source = self.read(name) if source is None else source
        if source is None:
            return None
        self.parsed += 1
        self.parsed_bytes += len(source)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(source, filename=label)
            module = Module(name, label, package, own, tree, source)
        except Exception as error:  # noqa: BLE001  a file the parser (or this reader) cannot take is skipped
            self.note(label, "%s: %s" % (type(error).__name__, error))
            return None
        self.modules[name] = module
        return module

    def absolute(self, module, level, name):
        """The absolute dotted name of `from <level dots><name> import ...` in `module`."""
        if level == 0:
            return name
        base = module.name.split(".") if module.package else module.name.split(".")[:-1]
        if level - 1 > len(base):
            return None
        base = base[: len(base) - (level - 1)]
        return ".".join([*base, name] if name else base) or None


# -- values: what a name or expression refers to -----------------------------------------------------------------
# ("ext", parts)            something of a module outside the program: ("subprocess", "run"), ("httpx", "AsyncClient", "()")
# ("mod", name)             a module (or package) of the program
# ("fn", node, module)      a function of the program
# ("cls", node, module)     a class of the program
# ("inst", node, module)    an instance of a class of the program
# ("builtin", name)         a name bound nowhere in its module


class Resolver:
    def __init__(self, program):
        self.program = program
        self.function_bindings = {}
        self.instance_attributes = {}

    def scope_of(self, module, node):
        """The innermost function or lambda around a node, or None at module level."""
        current = module.parents.get(node)
        for _ in range(2000):
            if current is None or isinstance(current, SCOPES):
                return current
            current = module.parents.get(current)
        return None

    def class_of(self, module, function):
        """The class a function is a method of (directly in its body), or None."""
        parent = module.parents.get(function)
        return parent if isinstance(parent, ast.ClassDef) else None

    def bindings_of(self, function):
        found = self.function_bindings.get(function)
        if found is None:
            found = {}
            arguments = function.args
            positional = list(arguments.posonlyargs) + list(arguments.args)
            for index, argument in enumerate(positional + list(arguments.kwonlyargs)):
                found[argument.arg] = [("param", argument, function, index if index < len(positional) else -1)]
            for extra in (arguments.vararg, arguments.kwarg):
                if extra is not None:
                    found[extra.arg] = [("unknown",)]
            if not isinstance(function, ast.Lambda):
                collect_bindings(function.body, found)
            self.function_bindings[function] = found
        return found

    def lookup(self, module, node, name):
        """(bindings, scope) of a name where `node` uses it, innermost function first, then the module."""
        scope = self.scope_of(module, node)
        for _ in range(64):
            if scope is None:
                break
            found = self.bindings_of(scope).get(name)
            if found:
                return found, scope
            scope = self.scope_of(module, scope)
        return module.bindings.get(name), None

    def resolve(self, node, module, depth=0):
        if node is None or depth > MAX_RESOLVE_DEPTH:
            return None
        if isinstance(node, ast.Name):
            return self.resolve_name(module, node, node.id, depth)
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name) and node.value.func.id == "super":
                return self.super_member(module, node, node.attr, depth)
            return self.member(self.resolve(node.value, module, depth + 1), node.attr, depth)
        if isinstance(node, ast.Call):
            callee = self.resolve(node.func, module, depth + 1)
            if callee is None:
                return None
            if callee[0] == "ext":
                return ("ext", callee[1] + ("()",))
            if callee[0] == "cls":
                return ("inst", callee[1], callee[2])
            if callee[0] == "fn" and getattr(callee[1], "returns", None) is not None:
                return self.resolve_type(callee[1].returns, callee[2], depth + 1)
            return None
        if isinstance(node, ast.Await):
            return self.resolve(node.value, module, depth + 1)
        if isinstance(node, ast.Subscript):
            base = self.resolve(node.value, module, depth + 1)
            return base if base is not None and base[0] == "ext" else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            base = self.resolve(node.left, module, depth + 1)
            return base if base is not None and base[0] == "ext" else None
        if isinstance(node, ast.BoolOp):
            for value in node.values[:4]:
                found = self.resolve(value, module, depth + 1)
                if found is not None:
                    return found
            return None
        if isinstance(node, ast.IfExp):
            return self.resolve(node.body, module, depth + 1) or self.resolve(node.orelse, module, depth + 1)
        if isinstance(node, ast.NamedExpr):
            return self.resolve(node.value, module, depth + 1)
        if isinstance(node, ast.Lambda):
            return ("fn", node, module)
        return None

    def resolve_name(self, module, node, name, depth):
        bindings, _ = self.lookup(module, node, name)
        if not bindings:
            return ("builtin", name)
        for binding in bindings:
            found = self.binding_value(binding, module, depth + 1)
            if found is not None:
                return found
        return None

    def binding_value(self, binding, module, depth):
        if depth > MAX_RESOLVE_DEPTH:
            return None
        kind = binding[0]
        if kind == "def":
            return ("fn", binding[1], module)
        if kind == "class":
            return ("cls", binding[1], module)
        if kind == "import":
            return self.module_value(binding[1])
        if kind == "from":
            base = self.program.absolute(module, binding[1], binding[2])
            return self.from_value(base, binding[3], depth + 1) if base else None
        if kind == "value":
            return self.resolve(binding[1], module, depth + 1)
        if kind == "annotated":
            return self.resolve_type(binding[1], module, depth + 1)
        if kind == "param":
            _, argument, function, index = binding
            owner = self.class_of(module, function)
            if owner is not None and index == 0 and not any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in function.decorator_list):
                if any(isinstance(d, ast.Name) and d.id == "classmethod" for d in function.decorator_list):
                    return ("cls", owner, module)
                return ("inst", owner, module)
            if argument.annotation is not None:
                return self.resolve_type(argument.annotation, module, depth + 1)
        return None

    def module_value(self, name):
        return ("mod", name) if name in self.program.prefixes else ("ext", tuple(name.split(".")))

    def from_value(self, base, attribute, depth):
        """What `from <base> import <attribute>` binds."""
        if depth > MAX_RESOLVE_DEPTH:
            return None
        if base not in self.program.prefixes:
            return ("ext", tuple(base.split(".")) + (attribute,))
        module = self.program.module(base)
        if module is not None:
            for binding in module.bindings.get(attribute, [])[:4]:
                found = self.binding_value(binding, module, depth + 1)
                if found is not None:
                    return found
        child = base + "." + attribute
        return ("mod", child) if child in self.program.prefixes else None

    def member(self, base, attribute, depth):
        """The value of `<base>.<attribute>`."""
        if base is None or depth > MAX_RESOLVE_DEPTH:
            return None
        kind = base[0]
        if kind == "ext":
            return ("ext", base[1] + (attribute,)) if len(base[1]) < 24 else None
        if kind == "mod":
            return self.from_value(base[1], attribute, depth + 1)
        if kind == "cls":
            return self.class_member(base[1], base[2], attribute, depth + 1)
        if kind == "inst":
            found = self.class_member(base[1], base[2], attribute, depth + 1, outside=False)
            if found is not None:
                return found
            for binding, module in self.attributes_of(base[1], base[2]).get(attribute, [])[:4]:
                resolved = self.binding_value(binding, module, depth + 1)
                if resolved is not None:
                    return resolved
            return self.class_member(base[1], base[2], attribute, depth + 1)
        return None

    def class_member(self, cls, module, attribute, depth, seen=None, outside=True):
        """A method or class attribute of a class or its bases in the program; with `outside`, an attribute of a base
        class outside the program when the program's classes do not define it."""
        seen = seen or set()
        if cls in seen or depth > MAX_RESOLVE_DEPTH:
            return None
        seen.add(cls)
        for statement in cls.body:
            if isinstance(statement, FUNCTIONS) and statement.name == attribute:
                return ("fn", statement, module)
        bindings = collect_bindings([s for s in cls.body if isinstance(s, (ast.Assign, ast.AnnAssign, ast.ClassDef))]).get(attribute)
        for binding in bindings or []:
            found = self.binding_value(binding, module, depth + 1)
            if found is not None:
                return found
        for base in cls.bases[:4]:
            value = self.resolve(base, module, depth + 1)
            if value is not None and value[0] == "cls":
                found = self.class_member(value[1], value[2], attribute, depth + 1, seen, outside)
                if found is not None:
                    return found
            elif outside and value is not None and value[0] == "ext" and not attribute.startswith("__"):
                # A subclass of an outside class (`class Api(httpx.AsyncClient)`): its inherited methods are that class's.
                return ("ext", value[1] + ("()", attribute))
        return None

    def super_member(self, module, node, attribute, depth):
        scope = self.scope_of(module, node)
        owner = self.class_of(module, scope) if scope is not None else None
        if owner is None:
            return None
        for base in owner.bases[:4]:
            value = self.resolve(base, module, depth + 1)
            if value is not None and value[0] == "cls":
                found = self.class_member(value[1], value[2], attribute, depth + 1)
                if found is not None:
                    return found
            elif value is not None and value[0] == "ext":
                return ("ext", value[1] + ("()", attribute))
        return None

    def attributes_of(self, cls, module):
        """`self.<attribute> = value` (or `: Type`) in the methods of a class: attribute -> [(binding, module)]."""
        found = self.instance_attributes.get(cls)
        if found is not None:
            return found
        found = {}
        for statement in cls.body:
            if not isinstance(statement, FUNCTIONS) or not statement.args.args:
                continue
            own = statement.args.args[0].arg
            for node in ast.walk(statement):
                if isinstance(node, ast.Assign):
                    targets, binding = node.targets, ("value", node.value)
                elif isinstance(node, ast.AnnAssign):
                    targets, binding = (node.target,), ("value", node.value) if node.value is not None else ("annotated", node.annotation)
                else:
                    continue
                for target in targets:
                    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == own:
                        entries = found.setdefault(target.attr, [])
                        if len(entries) < 4:
                            entries.append((binding, module))
        # Class-level annotations without a value (`client: httpx.AsyncClient`, dataclass fields) say what an instance holds.
        for statement in cls.body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                entries = found.setdefault(statement.target.id, [])
                if len(entries) < 4:
                    entries.append((("annotated", statement.annotation), module))
        self.instance_attributes[cls] = found
        return found

    def resolve_type(self, annotation, module, depth):
        """What an annotated name holds: an instance of the annotated class (`Optional`, `|`, `Annotated` unwrapped)."""
        if annotation is None or depth > MAX_RESOLVE_DEPTH:
            return None
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            if len(annotation.value) > 300:
                return None
            try:
                parsed = ast.parse(annotation.value.strip(), mode="eval").body
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return None
            # Names in a string annotation are looked up at module level.
            value = self.resolve_type_detached(parsed, module, depth + 1)
            return value
        if isinstance(annotation, ast.Subscript):
            base = annotation.value
            name = base.attr if isinstance(base, ast.Attribute) else base.id if isinstance(base, ast.Name) else None
            if name in ("Optional", "Annotated", "Union", "Awaitable", "Coroutine"):
                inner = annotation.slice
                members = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
                if name == "Coroutine":
                    members = members[-1:]
                for member in members[:4]:
                    found = self.resolve_type(member, module, depth + 1)
                    if found is not None:
                        return found
                return None
            annotation = base
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            return self.resolve_type(annotation.left, module, depth + 1) or self.resolve_type(annotation.right, module, depth + 1)
        value = self.resolve(annotation, module, depth + 1)
        if value is None:
            return None
        if value[0] == "ext":
            return ("ext", value[1] + ("()",))
        if value[0] == "cls":
            return ("inst", value[1], value[2])
        return None

    def resolve_type_detached(self, node, module, depth):
        """resolve_type for a parsed string annotation, whose names are looked up among the module's bindings."""
        if isinstance(node, ast.Name):
            for binding in module.bindings.get(node.id, [])[:4]:
                value = self.binding_value(binding, module, depth + 1)
                if value is not None:
                    return ("ext", value[1] + ("()",)) if value[0] == "ext" else ("inst", value[1], value[2]) if value[0] == "cls" else None
            return None
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            base = self.resolve_type_detached_base(node.value.id, module, depth + 1)
            value = self.member(base, node.attr, depth + 1)
            if value is not None and value[0] == "ext":
                return ("ext", value[1] + ("()",))
            if value is not None and value[0] == "cls":
                return ("inst", value[1], value[2])
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self.resolve_type_detached(node.left, module, depth + 1) or self.resolve_type_detached(node.right, module, depth + 1)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in ("Optional", "Union", "Annotated"):
            inner = node.slice
            for member in (list(inner.elts) if isinstance(inner, ast.Tuple) else [inner])[:4]:
                found = self.resolve_type_detached(member, module, depth + 1)
                if found is not None:
                    return found
        return None

    def resolve_type_detached_base(self, name, module, depth):
        for binding in module.bindings.get(name, [])[:4]:
            value = self.binding_value(binding, module, depth + 1)
            if value is not None:
                return value
        return None

    # -- literal text ----------------------------------------------------------------------------------------

    def string(self, node, module, depth=0):
        """(text, complete) of a string expression: literals, f-strings, `+`, `%` and `.format` on a literal, and
        names and class attributes bound to those; the known prefix with complete False when only a prefix is."""
        if node is None or depth > MAX_RESOLVE_DEPTH:
            return None
        if isinstance(node, ast.Constant):
            return (node.value[:MAX_STRING], True) if isinstance(node.value, str) else None
        if isinstance(node, ast.JoinedStr):
            text = ""
            for value in node.values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    text += value.value
                    continue
                inner = self.string(value.value, module, depth + 1) if isinstance(value, ast.FormattedValue) and value.format_spec is None else None
                if inner is None:
                    return (text[:MAX_STRING], False)
                text += inner[0]
                if not inner[1]:
                    return (text[:MAX_STRING], False)
            return (text[:MAX_STRING], True)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.string(node.left, module, depth + 1)
            if left is None or not left[1]:
                return left
            right = self.string(node.right, module, depth + 1)
            if right is None:
                return (left[0], False)
            return ((left[0] + right[0])[:MAX_STRING], right[1])
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            left = self.string(node.left, module, depth + 1)
            return (left[0].split("%")[0], False) if left is not None else None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            left = self.string(node.func.value, module, depth + 1)
            return (left[0].split("{")[0], False) if left is not None else None
        if isinstance(node, ast.Name):
            bindings, _ = self.lookup(module, node, node.id)
            values = [b for b in bindings or [] if b[0] == "value"]
            if len(values) == 1 and len(bindings) == 1:
                return self.string(values[0][1], module, depth + 1)
            return None
        if isinstance(node, ast.Attribute):
            if node.attr == "value":
                inner = self.string(node.value, module, depth + 1)
                if inner is not None:
                    return inner
            base = self.resolve(node.value, module, depth + 1)
            if base is not None and base[0] == "cls":
                for statement in base[1].body:
                    if isinstance(statement, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.attr for t in statement.targets):
                        return self.string(statement.value, base[2], depth + 1)
                    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.target.id == node.attr:
                        return self.string(statement.value, base[2], depth + 1)
            if base is not None and base[0] == "mod":
                target = self.program.module(base[1])
                values = [b for b in (target.bindings.get(node.attr, []) if target else []) if b[0] == "value"]
                if len(values) == 1:
                    return self.string(values[0][1], target, depth + 1)
        return None


# -- recognising side effects ------------------------------------------------------------------------------------


def raw_names(func):
    """The names along a callee as written: `self.page.click` -> ["self", "page", "click"]; a call inside is "()"."""
    names = []
    node = func
    for _ in range(16):
        if isinstance(node, ast.Attribute):
            names.insert(0, node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            names.insert(0, "()")
            node = node.func
        elif isinstance(node, (ast.Await, ast.Subscript)):
            node = node.value
        elif isinstance(node, ast.Name):
            names.insert(0, node.id)
            break
        else:
            break
    return names


def argument(call, position, *keywords):
    for keyword in call.keywords:
        if keyword.arg in keywords:
            return keyword.value
    if position is not None and position < len(call.args) and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return None


class Sinks:
    """Matches a call against the side effects of the module docstring's table."""

    def __init__(self, resolver):
        self.resolver = resolver

    def text(self, node, module):
        return self.resolver.string(node, module) if node is not None else None

    def host(self, node, module):
        found = self.text(node, module)
        return host_of(found[0]) if found else None

    def complete(self, node, module):
        found = self.text(node, module)
        return found[0] if found and found[1] else None

    def recognise(self, call, value, module):
        """(kind, detail) of a call, or None. `value` is what its callee resolves to (None: not resolved)."""
        if value is not None and value[0] == "builtin":
            return self.builtin(call, value[1], module)
        if value is not None and value[0] == "ext":
            parts = [p for p in value[1] if p not in ("default",)]
            found = self.external(call, parts, module)
            if found is not None:
                return found
            return self.by_names(call, parts, module, known=True)
        return self.by_names(call, raw_names(call.func), module, known=False)

    def builtin(self, call, name, module):
        if name == "open":
            return self.open_mode(call, 1, "open", module)
        if name in ("eval", "exec", "compile"):
            return ("eval", name)
        return None

    def open_mode(self, call, position, detail, module):
        mode = self.complete(argument(call, position, "mode"), module)
        return ("fs.write" if mode and re.search(r"[wax+]", mode) else "fs.read", detail)

    def external(self, call, parts, module):
        top = parts[0]
        method = parts[-1]
        rest = parts[1:]
        # Files.
        if top in ("io", "codecs") and rest == ["open"]:
            return self.open_mode(call, 1, "open", module)
        if top == "aiofiles":
            if rest == ["open"]:
                return self.open_mode(call, 1, "aiofiles.open", module)
            if rest[:1] == ["os"] and len(rest) == 2:
                parts, top, rest = ["os", rest[1]], "os", [rest[1]]
        if top == "os" and len(rest) == 1:
            if method in OS_DELETE:
                return ("fs.delete", "os." + method)
            if method in OS_WRITE:
                return ("fs.write", "os." + method)
            if method in OS_READ:
                return ("fs.read", "os." + method)
            if OS_SPAWN.match(method):
                return ("spawn", "os." + method)
            if method == "open":
                flags = argument(call, 1, "flags")
                words = {n.attr for n in ast.walk(flags) if isinstance(n, ast.Attribute)} | {n.id for n in ast.walk(flags) if isinstance(n, ast.Name)} if flags is not None else set()
                return ("fs.write" if words & {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"} else "fs.read", "os.open")
            return None
        if top == "shutil" and len(rest) == 1:
            if method == "rmtree":
                return ("fs.delete", "shutil.rmtree")
            if method in SHUTIL_WRITE:
                return ("fs.write", "shutil." + method)
            return None
        if top == "tempfile" and rest in (["mkdtemp"], ["mkstemp"]):
            return ("fs.write", "tempfile." + method)
        if top == "send2trash":
            return ("fs.delete", "send2trash")
        if top == "pathlib" or top == "anyio" and "Path" in rest or top == "aiopath":
            if method in PATH_WRITE:
                return ("fs.write", "Path." + method)
            if method in PATH_DELETE:
                return ("fs.delete", "Path." + method)
            if method in PATH_READ:
                return ("fs.read", "Path." + method)
            if method == "open" and "()" in rest:
                return self.open_mode(call, 0, "Path.open", module)
            return None
        if top in ("zipfile", "tarfile") and method in ("extractall", "extract"):
            return ("fs.write", "%s.%s" % (top, method))
        # Processes and code.
        if top == "subprocess" and len(rest) == 1 and method in SUBPROCESS:
            return ("spawn", "subprocess." + method)
        if top == "asyncio" and method in ("create_subprocess_exec", "create_subprocess_shell", "subprocess_exec", "subprocess_shell"):
            return ("spawn", "asyncio." + method)
        if top == "pexpect" and method in ("spawn", "run", "spawnu", "runu", "PopenSpawn"):
            return ("spawn", "pexpect." + method)
        if top == "pty" and rest == ["spawn"]:
            return ("spawn", "pty.spawn")
        if top == "sh" and len(rest) == 1 and method not in ("Command",):
            return ("spawn", "sh." + method)
        if top == "runpy" and method in ("run_path", "run_module"):
            return ("eval", "runpy." + method)
        if top == "builtins" and rest in (["eval"], ["exec"], ["compile"]):
            return ("eval", method)
        if top == "builtins" and rest == ["open"]:
            return self.open_mode(call, 1, "open", module)
        # HTTP.
        if top in HTTP_PACKAGES:
            return self.http_client(call, parts, module)
        if top == "urllib" and method == "urlopen":
            target = argument(call, 0, "url")
            data = argument(call, 1, "data")
            request = self.resolver.resolve(target, module) if target is not None else None
            built = target if isinstance(target, ast.Call) else self.assigned_call(target, module)
            if request is not None and request[0] == "ext" and request[1][-2:-1] == ("Request",) and built is not None:
                declared = self.complete(argument(built, None, "method"), module)
                has_data = argument(built, 1, "data") is not None
                return ("http", http_detail(declared or ("POST" if has_data else "GET"), self.host(argument(built, 0, "url"), module)))
            return ("http", http_detail("POST" if data is not None and not (isinstance(data, ast.Constant) and data.value is None) else "GET", self.host(target, module)))
        if top == "http" and rest[:1] == ["client"] and method == "request":
            return ("http", http_detail(self.complete(argument(call, 0, "method"), module) or "GET", None))
        # Databases.
        if top in ("pymongo", "motor", "mongomock", "beanie") and method in MONGO:
            return ("sql", "%s %s" % (MONGO[method], method))
        if top == "pandas":
            if method in ("read_sql", "read_sql_query"):
                return self.sql(call, module, dynamic=True)
            return ("sql", "INSERT") if method == "to_sql" and "()" in parts else None
        if top == "sqlalchemy" and "()" in parts and method in ("add", "add_all", "merge", "delete") and any(p in ("Session", "sessionmaker", "AsyncSession", "scoped_session") for p in parts):
            return ("sql", {"add": "INSERT", "add_all": "INSERT", "merge": "UPDATE", "delete": "DELETE"}[method])
        if top in SQL_DRIVERS and method in SQL_METHODS:
            return self.sql(call, module, dynamic=method in SQL_DYNAMIC_METHODS or method in ("query", "sql"))
        # Browsers.
        if top in BROWSER_PACKAGES:
            return self.browser(call, parts, module, selenium=top in ("selenium", "undetected_chromedriver", "seleniumbase"))
        # Messages of well-known SDKs.
        if top == "smtplib" and method in ("sendmail", "send_message"):
            return ("message", method)
        if top in ("sendgrid", "python_http_client") and method in ("send", "post"):
            return ("message", "sendgrid." + method)
        if top.startswith("slack") and method in SLACK_METHODS:
            return ("message", SLACK_METHODS[method])
        return None

    def assigned_call(self, node, module):
        """The call a name was assigned once from, or None."""
        if not isinstance(node, ast.Name):
            return None
        bindings, _ = self.resolver.lookup(module, node, node.id)
        if bindings and len(bindings) == 1 and bindings[0][0] == "value" and isinstance(bindings[0][1], ast.Call):
            return bindings[0][1]
        return None

    def http_client(self, call, parts, module):
        """A request by requests, httpx, aiohttp or urllib3: module functions, and methods of their clients."""
        method = parts[-1]
        middle = parts[1:-1]
        # A module function (requests.post), or a method of a client a known constructor made (httpx.AsyncClient().get);
        # not response.json().get.
        if middle and (middle.count("()") != 1 or len(middle) < 2 or middle[-1] != "()" or middle[-2] not in HTTP_CLIENTS):
            return None
        if method.lower() in HTTP_VERBS:
            return ("http", http_detail(method, self.host(argument(call, 0, "url"), module)))
        if method in ("request", "stream", "urlopen"):
            declared = self.complete(argument(call, 0, "method"), module)
            return ("http", http_detail(declared or "GET", self.host(argument(call, 1, "url"), module)))
        return None

    def sql(self, call, module, dynamic):
        statement = argument(call, 0, "sql", "query", "statement", "operation", "stmt")
        if statement is None:
            return None
        if isinstance(statement, ast.Call):
            head = statement
            for _ in range(16):
                if isinstance(head.func, ast.Attribute) and isinstance(head.func.value, ast.Call):
                    head = head.func.value
                else:
                    break
            name = head.func.attr if isinstance(head.func, ast.Attribute) else head.func.id if isinstance(head.func, ast.Name) else None
            if name == "text" and head.args:
                text = self.text(head.args[0], module)
                verb = sql_verb(text[0]) if text else None
                return ("sql", verb or "dynamic")
            if name in SQLALCHEMY_VERBS:
                return ("sql", SQLALCHEMY_VERBS[name])
        text = self.text(statement, module)
        verb = sql_verb(text[0]) if text else None
        if verb:
            return ("sql", verb)
        return ("sql", "dynamic") if dynamic and (text is None or not text[1]) else None

    def browser(self, call, parts, module, selenium):
        method = parts[-1]
        if method == "type" and len(parts) >= 2 and parts[-2] == "keyboard":
            return ("browser", "keyboard.type")
        if method == "get" and selenium:
            host = self.host(argument(call, 0, "url"), module)
            return ("browser", "goto %s" % host if host else "goto")
        detail = BROWSER_METHODS.get(method)
        if detail is None:
            return None
        if detail == "goto":
            host = self.host(argument(call, 0, "url"), module)
            return ("browser", "goto %s" % host if host else "goto")
        return ("browser", detail)

    def by_names(self, call, names, module, known):
        """Effects recognised by the names along the callee, whatever the receiver is (as the JavaScript reader does)."""
        if len(names) < 2:
            return None
        method = names[-1]
        receivers = [n for n in names[:-1] if n != "()"]
        owner = names[-2]
        pair_owner = PAYMENT_RESOURCES.get(owner)
        short = method[:-6] if method.endswith("_async") else method
        # Money.
        if pair_owner is not None:
            pair = "%s.%s" % (pair_owner, camel(short) if short != "delete" else "del")
            if pair in PAYMENT_PAIRS and not (pair_owner == "sessions" and (len(names) < 3 or names[-3] != "checkout")):
                return ("payment", pair)
        if short in PAYMENT_METHODS:
            return ("payment", PAYMENT_METHODS[short])
        # Messages.
        pair = "%s.%s" % (owner.lower(), camel(method))
        if pair in MESSAGE_PAIRS:
            llm = (known and names[0] in LLM_PACKAGES) or any(LLM_NAMES.search(n) for n in names[:-2])
            if not llm:
                return ("message", pair)
        if method in SLACK_METHODS:
            return ("message", SLACK_METHODS[method])
        if method in MESSAGE_METHODS:
            return ("message", method)
        if method == "send" and SEND_RECEIVERS.match(owner):
            return ("message", "%s.send" % owner.lstrip("_"))
        if method == "exec_command":
            return ("spawn", "exec_command")
        if known:
            return None
        # Receivers of unknown type, by their names.
        if method in PATH_ONLY:
            return ("fs.delete" if method in PATH_DELETE else "fs.write" if method in PATH_WRITE else "fs.read", "Path." + method)
        if (method in BROWSER_METHODS or method == "get" or method == "type") and any(BROWSER_NAMES.match(n) for n in receivers):
            selenium = any(re.match(r"^_*(?:web)?driver$", n, re.IGNORECASE) for n in receivers)
            if method != "get" or selenium:
                return self.browser(call, names, module, selenium)
        if method in SQL_METHODS and SQL_RECEIVER.match(owner if owner != "()" else (receivers[-1] if receivers else "")):
            return self.sql(call, module, dynamic=method in SQL_DYNAMIC_METHODS)
        if method in SQL_METHODS and method not in ("fetchall", "fetchone", "fetchmany", "run_sync"):
            statement = argument(call, 0, "sql", "query", "statement")
            text = self.text(statement, module) if statement is not None else None
            verb = sql_verb(text[0]) if text else None
            if verb:
                return ("sql", verb)
        if method.lower() in HTTP_VERBS and any(CLIENT_NAME.search(n) for n in receivers) and call.args:
            path = self.text(call.args[0], module)
            if path is not None and re.match(r"^(?:https?://|/)", path[0]):
                return ("http", http_detail(method, host_of(path[0])))
        return None


# -- handlers ----------------------------------------------------------------------------------------------------

RANK_REGISTRATION, RANK_BRANCH, RANK_NAMED_CALL, RANK_KEYED, RANK_NAMED_FUNCTION = 1, 2, 3, 4, 5
CLASS_HANDLERS = ("run", "_run", "arun", "_arun", "execute", "_execute", "__call__", "handle", "handler", "call", "invoke", "ainvoke", "process")


class Handlers:
    """Finds each wanted tool's handler in parsed modules."""

    def __init__(self, resolver, wanted):
        self.resolver = resolver
        self.wanted = wanted
        self.found = {}
        #: Function names that may be a tool's handler by their name alone (rank 5): name -> tool.
        self.wanted_functions = {}
        for name in sorted(wanted):
            if IDENTIFIER.match(name):
                for candidate in (name, "handle_" + name, "_" + name, name + "_handler", "tool_" + name, "_handle_" + name):
                    self.wanted_functions.setdefault(candidate, name)

    def offer(self, name, rank, nodes, at, module):
        if name not in self.wanted:
            return
        current = self.found.get(name)
        if current is None or rank < current[0]:
            self.found[name] = (rank, nodes, at, module)

    def names_compared(self, test, module):
        """The tool names an `if` test compares a name-like value with, or []."""
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
            out = []
            for value in test.values[:64]:
                out.extend(self.names_compared(value, module))
            return out
        if not isinstance(test, ast.Compare) or len(test.ops) != 1:
            return []
        left, right, op = test.left, test.comparators[0], test.ops[0]
        if isinstance(op, ast.Eq):
            for subject, other in ((left, right), (right, left)):
                if self.discriminant(subject):
                    text = self.resolver.string(other, module)
                    return [text[0]] if text and text[1] else []
            return []
        if isinstance(op, ast.In) and self.discriminant(left) and isinstance(right, (ast.Tuple, ast.List, ast.Set)):
            out = []
            for element in right.elts[:256]:
                text = self.resolver.string(element, module)
                if text and text[1]:
                    out.append(text[0])
            return out
        return []

    @staticmethod
    def discriminant(node):
        if isinstance(node, ast.Name):
            return NAME_DISCRIMINANT.search(node.id) is not None
        if isinstance(node, ast.Attribute):
            return NAME_DISCRIMINANT.search(node.attr) is not None
        return False

    def case_names(self, pattern, module):
        if isinstance(pattern, ast.MatchValue):
            text = self.resolver.string(pattern.value, module)
            return [text[0]] if text and text[1] else []
        if isinstance(pattern, ast.MatchOr):
            out = []
            for inner in pattern.patterns[:256]:
                out.extend(self.case_names(inner, module))
            return out
        if isinstance(pattern, ast.MatchAs) and pattern.pattern is not None:
            return self.case_names(pattern.pattern, module)
        return []

    def function_of(self, node, module):
        value = self.resolver.resolve(node, module) if node is not None else None
        if value is not None and value[0] == "fn":
            return value[1], value[2]
        return None

    def scan(self, module, late):
        """Offers every handler a module holds."""
        for count, node in enumerate(ast.walk(module.tree)):
            if count % 4096 == 0 and late():
                return
            if isinstance(node, FUNCTIONS):
                for decorator in node.decorator_list:
                    found = tool_decorator(decorator)
                    if found is None:
                        continue
                    args, keywords = found
                    if keywords is None:
                        self.offer(node.name, RANK_NAMED_CALL, [node], node, module)
                        break
                    name_node = keywords.get("name", args[0] if args else None)
                    name = literal_string(name_node) if name_node is not None and not (isinstance(name_node, ast.Constant) and name_node.value is None) else node.name
                    if name:
                        self.offer(name, RANK_REGISTRATION, [node], node, module)
                    break
                if node.name in self.wanted_functions:
                    self.offer(self.wanted_functions[node.name], RANK_NAMED_FUNCTION, [node], node, module)
            elif isinstance(node, ast.Call):
                self.scan_call(node, module)
            elif isinstance(node, ast.If):
                for name in self.names_compared(node.test, module):
                    self.offer(name, RANK_BRANCH, node.body, node, module)
            elif isinstance(node, ast.Match):
                if self.discriminant(node.subject):
                    for case in node.cases:
                        for name in self.case_names(case.pattern, module):
                            self.offer(name, RANK_BRANCH, case.body, case.pattern, module)
            elif isinstance(node, ast.ClassDef):
                self.scan_class(node, module)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys[:4096], node.values[:4096]):
                    if key is None:
                        continue
                    text = self.resolver.string(key, module) if isinstance(key, ast.Constant) else None
                    if text and text[0] in self.wanted:
                        target = self.function_of(value, module)
                        if target is not None:
                            self.offer(text[0], RANK_KEYED, [target[0]], target[0], target[1])

    def scan_call(self, node, module):
        callee = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id if isinstance(node.func, ast.Name) else None
        if callee in ("add_tool", "tool", "from_function") and node.args:
            target = self.function_of(node.args[0], module)
            if target is not None:
                keywords = keywords_of(node) or {}
                name_node = keywords.get("name", node.args[1] if callee == "add_tool" and len(node.args) > 1 else None)
                name = literal_string(name_node) if name_node is not None else getattr(target[0], "name", None)
                if name:
                    self.offer(name, RANK_REGISTRATION, [target[0]], target[0], target[1])
                return
        literals = [a for a in list(node.args) + [k.value for k in node.keywords] if isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value in self.wanted]
        if literals:
            for candidate in list(node.args) + [k.value for k in node.keywords]:
                target = self.function_of(candidate, module) if isinstance(candidate, (ast.Name, ast.Attribute, ast.Lambda)) else None
                if target is not None:
                    self.offer(literals[0].value, RANK_NAMED_CALL, [target[0]], target[0], target[1])
                    return

    def scan_class(self, node, module):
        name = None
        for statement in node.body:
            if isinstance(statement, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "name" for t in statement.targets):
                name = literal_string(statement.value)
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.target.id == "name" and statement.value is not None:
                name = literal_string(statement.value)
        if not name or name not in self.wanted:
            return
        methods = {s.name: s for s in node.body if isinstance(s, FUNCTIONS)}
        for method in CLASS_HANDLERS:
            if method in methods:
                self.offer(name, RANK_BRANCH, [methods[method]], methods[method], module)
                return


# -- following a handler -----------------------------------------------------------------------------------------


class EffectReader:
    """Follows one tool's handler to the side effects it reaches (the module docstring says how)."""

    def __init__(self, resolver, max_depth, max_nodes, late):
        self.resolver = resolver
        self.sinks = Sinks(resolver)
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.late = late

    def read(self, site):
        _, nodes, at, module = site
        out = {"handlerFound": True, "handler": {"file": module.label[:MAX_LABEL], "line": max(1, getattr(at, "lineno", 1))}, "effects": []}
        seen = set()
        followed = set()
        stack = []
        for node in reversed(nodes):
            if isinstance(node, SCOPES):
                followed.add(node)
                body = node.body if isinstance(node.body, list) else [node.body]
                for statement in reversed(body):
                    stack.append((statement, module, 0))
            else:
                stack.append((node, module, 0))
        visited = 0
        try:
            while stack:
                node, owner, depth = stack.pop()
                visited += 1
                if visited > self.max_nodes or (visited % 1024 == 0 and self.late()):
                    out["truncated"] = True
                    break
                if isinstance(node, ast.Call) and self.call(node, owner, depth, out, seen, followed, stack):
                    break
                children = list(ast.iter_child_nodes(node))
                for child in reversed(children):
                    stack.append((child, owner, depth))
        except (RecursionError, MemoryError):
            out["truncated"] = True
        return out

    def call(self, node, module, depth, out, seen, followed, stack):
        """Records the call if it is an effect, else queues what it calls; True when the effect cap is reached."""
        value = self.resolver.resolve(node.func, module)
        target = None
        if value is not None and value[0] == "fn":
            target = (value[1], value[2])
        elif value is not None and value[0] == "cls":
            init = self.resolver.class_member(value[1], value[2], "__init__", 0)
            if init is not None and init[0] == "fn":
                target = (init[1], init[2])
        sink = None
        if value is not None and value[0] in ("ext", "builtin"):
            sink = self.sinks.recognise(node, value, module)
        elif target is None:
            sink = self.sinks.recognise(node, None, module)
        elif target[0] not in followed and depth >= self.max_depth:
            # Not followed: what its name says is all there is to go on.
            sink = self.sinks.recognise(node, None, module)
        if sink is not None:
            kind, detail = sink
            key = (kind, detail, module.label, node.lineno)
            if key in seen:
                return False
            seen.add(key)
            if len(out["effects"]) >= MAX_EFFECTS:
                out["truncated"] = True
                return True
            out["effects"].append({"kind": kind, "detail": detail[:120], "file": module.label[:MAX_LABEL], "line": max(1, node.lineno), "call": module.line_text(node)})
            return False
        if target is None or target[0] in followed:
            return False
        if depth >= self.max_depth:
            out["truncated"] = True
            return False
        followed.add(target[0])
        function, owner = target
        body = function.body if isinstance(function.body, list) else [function.body]
        for statement in reversed(body):
            stack.append((statement, owner, depth + 1))
        return False


# -- the run -----------------------------------------------------------------------------------------------------


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(site_packages, dist_info):
    """Direct dependencies (Requires-Dist without an extra marker) named in the distribution's METADATA."""
    data = read_source(os.path.join(site_packages, dist_info, "METADATA"), 4 * 1024 * 1024)
    if data is None:
        return []
    names = []
    for line in data.decode("utf-8", "replace").split("\n"):
        if not line.strip():
            break
        match = re.match(r"^Requires-Dist:\s*([A-Za-z0-9][A-Za-z0-9._-]*)([^;]*)(?:;(.*))?$", line, re.IGNORECASE)
        if match is None or re.search(r"\bextra\b", match.group(3) or ""):
            continue
        name = normalise(match.group(1))
        if name not in names:
            names.append(name)
    return names


def dependency_files(site_packages, dist_info, max_dependencies):
    """(dependency names, [(relative, label, path)]) of the listed dependencies installed in site-packages."""
    wanted = [name for name in requirements(site_packages, dist_info) if not NOT_FOLLOWED.match(name)]
    if not wanted:
        return [], []
    installed = {}
    try:
        entries = sorted(os.listdir(site_packages))
    except OSError:
        return [], []
    for entry in entries:
        match = DIST_INFO.match(entry)
        if match and entry != dist_info:
            installed.setdefault(normalise(match.group(1)), entry)
    names, files = [], []
    for name in wanted:
        entry = installed.get(name)
        if entry is None or len(names) >= max_dependencies:
            continue
        try:
            listed = own_modules(site_packages, entry)
        except (ValueError, OSError):
            continue
        names.append(name)
        stem = entry[: -len(".dist-info")]
        for relative, full in listed[:MAX_DEPENDENCY_FILES]:
            files.append((relative, "%s/%s" % (stem, relative), full))
    return names, files


def tokens_of(source):
    return set(TOKEN.findall(source)) | set(WORD.findall(source))


def analyse(names, own_files, dep_files, dependencies, limits):
    """Reads the handlers of `names` in own_files [(relative, label, path-or-bytes)] and returns the output object."""
    started = time.monotonic()
    deadline = started + limits["--soft-deadline-ms"] / 1000.0
    late = lambda: time.monotonic() > deadline  # noqa: E731
    program = Program(limits["--max-file-bytes"], limits["--max-modules"], limits["--max-parsed-bytes"], late)
    for relative, label, source in own_files[: limits["--max-files"]]:
        program.add(relative, label, source, True)
    for relative, label, source in dep_files:
        program.add(relative, label, source, False)
    resolver = Resolver(program)
    wanted = set(names)
    handlers = Handlers(resolver, wanted)
    simple = {n.encode("utf-8") for n in wanted if SIMPLE_NAME.match(n)}
    odd = [n.encode("utf-8", "replace") for n in wanted if not SIMPLE_NAME.match(n)][:64]
    function_names = {n.encode("utf-8") for n in handlers.wanted_functions}
    read_bytes = 0
    truncated = False

    def scan(files):
        nonlocal read_bytes, truncated
        for relative, label, _ in files:
            if late() or read_bytes >= MAX_TOTAL_READ_BYTES:
                truncated = True
                return
            named = module_name_of(relative)
            if named is None or program.index.get(named[0], (None,))[0] != label:
                continue
            name = named[0]
            parsed = program.modules.get(name)
            if name in program.modules and parsed is None:
                continue
            source = parsed.source if parsed is not None else program.read(name)
            if source is None:
                program.modules[name] = None
                continue
            read_bytes += len(source)
            tokens = tokens_of(source)
            if not (tokens & simple or tokens & function_names or any(n in source for n in odd)):
                continue
            module = parsed if parsed is not None else program.module(name, source)
            if module is None:
                continue
            try:
                handlers.scan(module, late)
            except Exception as error:  # noqa: BLE001  whatever a module does to this reader, the next one is read
                program.note(label, "%s while looking for handlers: %s" % (type(error).__name__, error))
                truncated = True

    scan(own_files[: limits["--max-files"]])
    if any(n not in handlers.found for n in names) and dep_files:
        scan(dep_files)

    reader = EffectReader(resolver, limits["--max-depth"], limits["--max-nodes"], late)
    tools = []
    output_bytes = 0
    for name in names:
        site = handlers.found.get(name)
        if site is None or output_bytes > MAX_OUTPUT_BYTES or late():
            entry = {"handlerFound": False, "effects": []}
            if site is not None or late() or output_bytes > MAX_OUTPUT_BYTES:
                entry["truncated"] = True
        else:
            try:
                entry = reader.read(site)
            except Exception as error:  # noqa: BLE001  one tool's handler this reader trips on leaves the others read
                program.note(site[3].label, "%s while following a handler: %s" % (type(error).__name__, error))
                entry = {"handlerFound": True, "handler": {"file": site[3].label[:MAX_LABEL], "line": max(1, getattr(site[2], "lineno", 1))}, "effects": [], "truncated": True}
        output_bytes += len(json.dumps(entry, ensure_ascii=True))
        tools.append(entry)
    if program.exhausted:
        truncated = True
    return {
        "tools": tools, "modulesParsed": program.parsed, "filesUnparsed": program.unparsed_count, "unparsed": program.unparsed,
        "dependencies": dependencies, "truncated": truncated,
    }


def read_names(value):
    names = []
    if isinstance(value, dict) and isinstance(value.get("tools"), list):
        for name in value["tools"]:
            if isinstance(name, str) and name not in names:
                names.append(name)
            if len(names) >= MAX_NAMES:
                break
    return names


def main(argv):
    limits = {
        "--max-files": 3000, "--max-file-bytes": 2 * 1024 * 1024, "--max-modules": 400, "--max-parsed-bytes": 8 * 1024 * 1024,
        "--max-depth": 4, "--max-nodes": 150000, "--soft-deadline-ms": 20000, "--max-dependencies": MAX_DEPENDENCIES,
    }
    positional = []
    stdin = False
    index = 0
    while index < len(argv):
        argument_ = argv[index]
        if argument_ in limits and index + 1 < len(argv):
            limits[argument_] = int(argv[index + 1])
            index += 2
            continue
        if argument_ == "--stdin":
            stdin = True
        else:
            positional.append(argument_)
        index += 1
    request = json.loads(sys.stdin.buffer.read(64 * 1024 * 1024 if stdin else 16 * 1024 * 1024) or b"{}")
    names = read_names(request)
    if stdin:
        files = request.get("files") if isinstance(request.get("files"), dict) else {}
        own = [(label, label, text.encode("utf-8")) for label, text in files.items() if isinstance(text, str) and label.endswith(".py")]
        deps, dependencies = [], []
        for stem, contents in (request.get("dependencies") or {}).items():
            if isinstance(contents, dict):
                dependencies.append(normalise(stem.rsplit("-", 1)[0]))
                deps.extend((label, "%s/%s" % (stem, label), text.encode("utf-8")) for label, text in contents.items() if isinstance(text, str) and label.endswith(".py"))
    elif len(positional) == 2:
        site_packages, dist_info = positional
        own = [(relative, relative, full) for relative, full in own_modules(site_packages, dist_info)]
        dependencies, deps = dependency_files(site_packages, dist_info, limits["--max-dependencies"])
    else:
        sys.stderr.write(__doc__.split("\n\n")[2] + "\n")
        return 2
    result = analyse(names, own, deps, dependencies, limits)
    sys.stdout.buffer.write(json.dumps(result, ensure_ascii=True, allow_nan=False).encode("ascii") + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
