"""Reads MCP tool definitions from an installed Python distribution's own modules, without importing or running them.

Part of mcp-catalogue (crawler/pypi/static.ts runs it inside the sandbox, with `python3 -I -S`, the install root
mounted read-only and no network). Standard library only. Every file it reads is hostile: each is parsed with
`ast.parse` and walked; no module of the package is imported, compiled to bytecode or executed.

Usage:
    static_tools.py [--max-files N] [--max-file-bytes N] [--max-tools N] <site-packages> <name>-<version>.dist-info
        reads the `.py` files the distribution's RECORD lists inside site-packages (PEP 376, PEP 627): the project's
        own modules, not its dependencies'.
    static_tools.py --stdin
        reads one module's source from stdin (for tests).

Prints one JSON object on stdout:
    {"tools": [{"name", "title"?, "description"?, "inputSchema", "annotations"?}, ...],
     "filesRead": int, "filesUnparsed": int, "unparsed": [{"file", "error"}] (at most 20), "truncated": bool}
and exits 0, whatever the files hold; a file that does not parse (syntax error, nesting too deep for the parser or
for this reader, out of memory, anything else this reader trips on) is counted in filesUnparsed and skipped.

Recognised registrations (MCP Python SDK `mcp.server.fastmcp` and FastMCP 2):
- `@<server>.tool`, `@<server>.tool()`, `@<server>.tool("name")`, `@<server>.tool(name=, title=, description=,
  annotations=, exclude_args=)` on a function or coroutine, in a file that mentions "mcp" (so that `.tool`
  decorators of agent frameworks in non-MCP files are not taken for MCP tools);
- `<server>.add_tool(fn, name=, title=, description=, annotations=)`, fn a function defined in the same module, also
  in a file that mentions "mcp";
- `Tool(name=, title=, description=, inputSchema=, annotations=)` and `types.Tool(...)` calls (the low-level SDK's
  `@server.list_tools()` handlers);
- dict literals with a "name" and an "inputSchema", as returned by hand-written `tools/list` handlers.

Names, titles and descriptions are used only when they are literals (strings, string concatenations, f-strings
without placeholders); a registration whose name is not literal is left out, and a description that is not literal
is left out rather than replaced by the docstring. The description of a decorated function is its `description=`,
else its docstring cleaned as `inspect.cleandoc` does.

inputSchema of a function comes from its signature, as the SDK's pydantic model of the arguments would give it:
`str` string, `int` integer, `float` number, `bool` boolean, `list[X]`/`List[X]`/`Sequence[X]`/`set[X]`/`tuple[X,
...]` array (items X), `dict`/`Dict[K, V]`/`Mapping` object, `Any` and unknown classes `{}`, `Literal[...]` enum,
`Union[A, B]`/`A | B` anyOf, `Annotated[X, Field(description=...)]` and `x: X = Field(description=, default=)`
descriptions and defaults. A parameter is required unless it has a default (or a `Field` default or
`default_factory`) or is `Optional[X]`/`X | None`. `self`, `cls`, `*args`, `**kwargs`, parameters annotated
`Context` and FastMCP's `exclude_args` are left out.

Bounds: at most --max-files files (3000) read, --max-file-bytes bytes each (5 MiB), 64 MiB in all, no file with a
line longer than 64 KiB parsed (CPython's parser is quadratic in the tokens of one line), --max-tools tools
(5000, the first definition of a name winning), 16 MiB of JSON output, literals and annotations followed 40 levels
deep.
"""
import ast
import csv
import io
import json
import math
import os
import posixpath
import re
import stat
import sys
import warnings

MAX_DEPTH = 40
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_OUTPUT_BYTES = 16 * 1024 * 1024
MAX_RECORD_BYTES = 16 * 1024 * 1024
MAX_REPORTED_ERRORS = 20
MAX_STRING_ANNOTATION = 1000
MAX_CONCATENATED = 1000
MAX_SAFE_INTEGER = 2**53 - 1
#: Longest line parsed, bytes: CPython's parser takes time quadratic in the tokens of one line (a 4 MB one-line module
#: takes minutes), and no tool is registered in such a file.
MAX_LINE_BYTES = 64 * 1024

#: Marks a node whose value is not a literal.
NOT_LITERAL = object()

TOOL_NAME = re.compile(r"^[\w.-]{1,128}$")
PREFILTER = re.compile(rb"tool|inputSchema", re.IGNORECASE)
MENTIONS_MCP = re.compile(rb"mcp", re.IGNORECASE)

SIMPLE_TYPES = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "list": {"type": "array"},
    "List": {"type": "array"},
    "Sequence": {"type": "array"},
    "tuple": {"type": "array"},
    "Tuple": {"type": "array"},
    "set": {"type": "array", "uniqueItems": True},
    "Set": {"type": "array", "uniqueItems": True},
    "frozenset": {"type": "array", "uniqueItems": True},
    "dict": {"type": "object"},
    "Dict": {"type": "object"},
    "Mapping": {"type": "object"},
    "Any": {},
    "object": {},
}
ARRAY_TYPES = {"list", "List", "Sequence", "tuple", "Tuple", "set", "Set", "frozenset"}
OBJECT_TYPES = {"dict", "Dict", "Mapping"}
ANNOTATION_KEYS = {"title": str, "readOnlyHint": bool, "destructiveHint": bool, "idempotentHint": bool, "openWorldHint": bool}


def literal(node, depth=0):
    """The JSON value of a literal expression, or NOT_LITERAL.

    Strings, finite numbers (integers within 2**53), booleans, None, lists and tuples of literals, and dicts with
    string keys. A dict entry whose key or value is not literal, or that a later `**spread` could replace, is left out
    (the rest of the dict stands); a list with one element that is not literal is not literal. `"a" + "b"` (up to
    1000 pieces) and f-strings without placeholders are strings.
    """
    if node is None or depth > MAX_DEPTH:
        return NOT_LITERAL
    if isinstance(node, ast.Constant):
        value = node.value
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, int):
            return value if abs(value) <= MAX_SAFE_INTEGER else NOT_LITERAL
        if isinstance(value, float):
            return value if math.isfinite(value) else NOT_LITERAL
        return NOT_LITERAL
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = literal(node.operand, depth + 1)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return NOT_LITERAL
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        # "a" + "b" + ... nests to the left, one level per piece: walked as a list, not recursively.
        pieces = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and len(pieces) < MAX_CONCATENATED:
            pieces.append(node.right)
            node = node.left
        pieces.append(node)
        values = [literal(piece, depth + 1) for piece in reversed(pieces)]
        return "".join(values) if all(isinstance(v, str) for v in values) else NOT_LITERAL
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        return "".join(parts) if len(parts) == len(node.values) else NOT_LITERAL
    if isinstance(node, (ast.List, ast.Tuple)):
        out = []
        for element in node.elts:
            value = literal(element, depth + 1)
            if value is NOT_LITERAL:
                return NOT_LITERAL
            out.append(value)
        return out
    if isinstance(node, ast.Dict):
        out = {}
        for key_node, value_node in zip(node.keys, node.values):
            if key_node is None:
                out.clear()  # a `**spread` may replace any entry before it
                continue
            key = literal(key_node, depth + 1)
            if not isinstance(key, str):
                continue
            value = literal(value_node, depth + 1)
            out.pop(key, None)  # the last of a repeated key wins, as in Python
            if value is not NOT_LITERAL:
                out[key] = value
        return out
    return NOT_LITERAL


def literal_string(node):
    value = literal(node)
    return value if isinstance(value, str) else None


def simple_name(node):
    """`x` for `x` and for `a.b.x`, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def is_call_of(node, name):
    return isinstance(node, ast.Call) and simple_name(node.func) == name


def keywords_of(call):
    """The keyword arguments of a call by name; None when it has a `**mapping`, which could set any of them."""
    out = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            return None
        out[keyword.arg] = keyword.value
    return out


class FieldInfo:
    """What a pydantic `Field(...)` call says literally: its description, and whether and what it defaults to."""

    def __init__(self, call):
        keywords = keywords_of(call) or {}
        self.description = literal_string(keywords.get("description"))
        self.title = literal_string(keywords.get("title"))
        default = keywords.get("default", call.args[0] if call.args else None)
        if isinstance(default, ast.Constant) and default.value is Ellipsis:
            default = None  # Field(...) is required
        self.has_default = default is not None or "default_factory" in keywords
        self.default = literal(default) if default is not None else NOT_LITERAL


def subscript_parameters(node):
    inner = node.slice
    return list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]


def is_none_literal(node):
    return isinstance(node, ast.Constant) and node.value is None


def is_none(node):
    """`None` or `NoneType` in an annotation."""
    return is_none_literal(node) or simple_name(node) == "NoneType"


def union_members(node):
    """The members of `A | B | C` (a left-nested chain of BinOp), or None when too deep."""
    members = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.BinOp) and isinstance(current.op, ast.BitOr):
            if len(members) + len(stack) > MAX_DEPTH:
                return None
            stack.append(current.right)
            stack.append(current.left)
        else:
            members.append(current)
    return members


def union_schema(members, depth):
    nullable = any(is_none(m) for m in members)
    schemas = []
    field = None
    for member in members:
        if is_none(member):
            continue
        schema, member_nullable, member_field = type_schema(member, depth + 1)
        nullable = nullable or member_nullable
        field = field or member_field
        if schema not in schemas:
            schemas.append(schema)
    if len(schemas) == 1:
        return schemas[0], nullable, field
    if not schemas or {} in schemas:
        return ({"type": "null"} if not schemas else {}), nullable, field
    return {"anyOf": schemas}, nullable, field


def type_schema(node, depth=0):
    """(JSON Schema, nullable, FieldInfo or None) for a parameter annotation; `{}` for what is not known."""
    if node is None or depth > MAX_DEPTH:
        return {}, False, None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if len(node.value) > MAX_STRING_ANNOTATION:
            return {}, False, None
        try:
            parsed = ast.parse(node.value.strip(), mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return {}, False, None
        return type_schema(parsed.body, depth + 1)
    if is_none(node):
        return {"type": "null"}, True, None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        members = union_members(node)
        return union_schema(members, depth) if members is not None else ({}, False, None)
    name = simple_name(node)
    if name is not None:
        return dict(SIMPLE_TYPES.get(name, {})), False, None
    if not isinstance(node, ast.Subscript):
        return {}, False, None
    base = simple_name(node.value)
    parameters = subscript_parameters(node)
    if not parameters:
        return {}, False, None
    if base == "Optional":
        schema, _, field = type_schema(parameters[0], depth + 1)
        return schema, True, field
    if base == "Union":
        return union_schema(parameters, depth)
    if base == "Annotated":
        schema, nullable, field = type_schema(parameters[0], depth + 1)
        for meta in parameters[1:]:
            if is_call_of(meta, "Field"):
                field = FieldInfo(meta)
        return schema, nullable, field
    if base == "Literal":
        values = [literal(p, depth + 1) for p in parameters]
        if any(v is NOT_LITERAL or isinstance(v, (list, dict)) for v in values):
            return {}, False, None
        nullable = None in values
        values = [v for v in values if v is not None]
        kinds = {("boolean" if isinstance(v, bool) else "integer" if isinstance(v, int) else "number" if isinstance(v, float) else "string") for v in values}
        schema = {"enum": values}
        if len(kinds) == 1:
            schema = {"type": kinds.pop(), "enum": values}
        return schema, nullable, None
    if base in ARRAY_TYPES:
        schema = dict(SIMPLE_TYPES[base])
        items = parameters[0]
        variadic = len(parameters) == 2 and isinstance(parameters[1], ast.Constant) and parameters[1].value is Ellipsis
        if base not in ("tuple", "Tuple") or variadic:
            item_schema, item_nullable, _ = type_schema(items, depth + 1)
            if item_nullable and item_schema:
                item_schema = {"anyOf": [item_schema, {"type": "null"}]}
            if item_schema:
                schema["items"] = item_schema
        return schema, False, None
    if base in OBJECT_TYPES:
        schema = {"type": "object"}
        if len(parameters) == 2:
            value_schema, _, _ = type_schema(parameters[1], depth + 1)
            if value_schema:
                schema["additionalProperties"] = value_schema
        return schema, False, None
    return {}, False, None


def is_context(annotation, depth=0):
    """An MCP `Context` parameter, which the SDK fills in: `Context`, `Context[...]`, `fastmcp.Context`, also
    `Optional[...]`, `Annotated[...]`, `... | None` of one and its string form."""
    if annotation is None or depth > 4:
        return False
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        if len(annotation.value) > MAX_STRING_ANNOTATION:
            return False
        try:
            return is_context(ast.parse(annotation.value.strip(), mode="eval").body, depth + 1)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        members = union_members(annotation) or []
        return any(is_context(m, depth + 1) for m in members)
    if isinstance(annotation, ast.Subscript):
        base = simple_name(annotation.value)
        if base in ("Optional", "Annotated", "Union"):
            return any(is_context(p, depth + 1) for p in subscript_parameters(annotation)[: 1 if base == "Annotated" else None])
        annotation = annotation.value
    return simple_name(annotation) == "Context"


def signature_schema(function, excluded):
    """The inputSchema of a tool function's signature (see the module docstring)."""
    arguments = function.args
    positional = list(arguments.posonlyargs) + list(arguments.args)
    defaults = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
    pairs = list(zip(positional, defaults)) + list(zip(arguments.kwonlyargs, arguments.kw_defaults))
    properties = {}
    required = []
    for index, (argument, default) in enumerate(pairs):
        if index == 0 and argument.arg in ("self", "cls") and positional:
            continue
        if argument.arg in excluded or is_context(argument.annotation):
            continue
        schema, nullable, field = type_schema(argument.annotation)
        schema = dict(schema)
        has_default = default is not None
        value = literal(default) if has_default else NOT_LITERAL
        if is_call_of(default, "Field"):
            field = FieldInfo(default)
            has_default, value = field.has_default, field.default
        if field is not None:
            if field.title is not None:
                schema["title"] = field.title
            if field.description is not None:
                schema["description"] = field.description
            if not has_default and field.has_default:
                has_default, value = True, field.default
        if value is not NOT_LITERAL:
            schema["default"] = value
        properties[argument.arg] = schema
        if not has_default and not nullable:
            required.append(argument.arg)
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def annotations_of(node):
    """ToolAnnotations from a dict literal or a `ToolAnnotations(...)` call with literal keywords; None if none."""
    if node is None:
        return None
    if is_call_of(node, "ToolAnnotations"):
        keywords = keywords_of(node) or {}
        values = {key: literal(value) for key, value in keywords.items()}
    else:
        values = literal(node)
        if not isinstance(values, dict):
            return None
    out = {key: value for key, value in values.items() if key in ANNOTATION_KEYS and isinstance(value, ANNOTATION_KEYS[key])}
    return out or None


def tool_decorator(decorator):
    """(positional args, keywords or None) of a `@x.tool` / `@x.tool(...)` decorator, else None."""
    if isinstance(decorator, ast.Call):
        if isinstance(decorator.func, ast.Attribute) and decorator.func.attr == "tool":
            return decorator.args, keywords_of(decorator)
        return None
    if isinstance(decorator, ast.Attribute) and decorator.attr == "tool":
        return [], {}
    return None


def function_tool(function, args, keywords):
    """A tool for a decorated (or added) function, or None when its name is not a literal."""
    if keywords is None:
        return None  # **options could set its name
    keywords = {key: value for key, value in keywords.items() if not is_none_literal(value)}  # name=None is no name
    name_node = keywords.get("name", args[0] if args and not is_none_literal(args[0]) else None)
    if name_node is not None:
        name = literal_string(name_node)
        if not name:
            return None
    else:
        name = function.name
    excluded = literal(keywords.get("exclude_args"))
    excluded = {e for e in excluded if isinstance(e, str)} if isinstance(excluded, list) else set()
    tool = {"name": name}
    title = literal_string(keywords.get("title"))
    if title is not None:
        tool["title"] = title
    if "description" in keywords:
        description = literal_string(keywords["description"])
    else:
        description = ast.get_docstring(function, clean=True)
    if description:
        tool["description"] = description
    tool["inputSchema"] = signature_schema(function, excluded)
    annotations = annotations_of(keywords.get("annotations"))
    if annotations:
        tool["annotations"] = annotations
    return tool


def definition_tool(name, title, description, input_schema, annotations):
    """A tool from literal fields (a `Tool(...)` call or a dict); inputSchema `{"type": "object"}` when not literal."""
    tool = {"name": name}
    if isinstance(title, str):
        tool["title"] = title
    if isinstance(description, str):
        tool["description"] = description
    tool["inputSchema"] = input_schema if isinstance(input_schema, dict) and input_schema.get("type") == "object" else {"type": "object"}
    if isinstance(annotations, dict):
        annotations = {k: v for k, v in annotations.items() if k in ANNOTATION_KEYS and isinstance(v, ANNOTATION_KEYS[k])}
        if annotations:
            tool["annotations"] = annotations
    return tool


def tools_in_module(tree, mentions_mcp):
    """Every tool registration found in one parsed module, in source order."""
    functions = {}
    nodes = list(ast.walk(tree))
    for node in nodes:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name not in functions:
            functions[node.name] = node
    tools = []
    for node in nodes:
        tool = None
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and mentions_mcp:
            for decorator in node.decorator_list:
                found = tool_decorator(decorator)
                if found is not None:
                    tool = function_tool(node, *found)
                    break
        elif isinstance(node, ast.Call):
            callee = simple_name(node.func)
            if callee == "add_tool" and isinstance(node.func, ast.Attribute) and mentions_mcp and node.args:
                target = node.args[0]
                if isinstance(target, ast.Name) and target.id in functions:
                    keywords = keywords_of(node)
                    if keywords is not None and "name" not in keywords and len(node.args) > 1:
                        keywords["name"] = node.args[1]
                    tool = function_tool(functions[target.id], [], keywords)
            elif callee == "Tool" and not node.args:
                keywords = keywords_of(node)
                if keywords is not None and "inputSchema" in keywords:
                    name = literal_string(keywords.get("name"))
                    if name:
                        tool = definition_tool(
                            name, literal(keywords.get("title")), literal(keywords.get("description")),
                            literal(keywords.get("inputSchema")), annotations_of(keywords.get("annotations")),
                        )
        elif isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            if "name" in keys and "inputSchema" in keys:
                value = literal(node)
                name = value.get("name") if isinstance(value, dict) else None
                if isinstance(name, str) and TOOL_NAME.match(name):
                    tool = definition_tool(name, value.get("title"), value.get("description"), value.get("inputSchema"), value.get("annotations"))
        if tool is not None:
            tools.append((node.lineno, node.col_offset, len(tools), tool))
    return [tool for *_, tool in sorted(tools, key=lambda t: t[:3])]


def read_source(path, max_bytes):
    """The bytes of a regular file of at most max_bytes, opened without following a link; None otherwise."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(max_bytes + 1)[: max_bytes + 1]
    except OSError:
        return None
    finally:
        os.close(descriptor)


def own_modules(site_packages, dist_info):
    """The `.py` files RECORD lists inside site-packages, sorted, as (relative path, absolute path)."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+!-]*\.dist-info", dist_info):
        raise ValueError("not a .dist-info folder name: %r" % dist_info[:200])
    record = read_source(os.path.join(site_packages, dist_info, "RECORD"), MAX_RECORD_BYTES)
    if record is None:
        raise ValueError("%s/RECORD is missing, not a regular file or larger than %d bytes" % (dist_info, MAX_RECORD_BYTES))
    root = os.path.realpath(site_packages)
    found = set()
    for row in csv.reader(io.StringIO(record.decode("utf-8", "replace"))):
        if not row:
            continue
        relative = posixpath.normpath(row[0])
        parts = relative.split("/")
        if relative.startswith("/") or ".." in parts or "\\" in relative or not relative.endswith(".py"):
            continue
        if parts[0].endswith(".dist-info") or "__pycache__" in parts:
            continue
        full = os.path.join(root, *parts)
        if os.path.realpath(full) != full:
            continue  # a link somewhere on the way
        found.add((relative, full))
    return sorted(found)


def extract(files, max_files, max_file_bytes, max_tools):
    """Reads and parses `files` ((label, path) pairs or (label, bytes) pairs) and returns the output object."""
    by_name = {}
    files_read = 0
    files_unparsed = 0
    unparsed = []
    total_bytes = 0
    output_bytes = 0
    truncated = False
    for label, source in files:
        if files_read >= max_files or len(by_name) >= max_tools or total_bytes >= MAX_TOTAL_BYTES:
            truncated = True
            break
        if isinstance(source, str):
            source = read_source(source, max_file_bytes)
            if source is None:
                continue
        if len(source) > max_file_bytes:
            continue
        files_read += 1
        total_bytes += len(source)
        if not PREFILTER.search(source):
            continue
        if len(source) > MAX_LINE_BYTES and max(map(len, source.split(b"\n"))) > MAX_LINE_BYTES:
            files_unparsed += 1
            if len(unparsed) < MAX_REPORTED_ERRORS:
                unparsed.append({"file": label[:300], "error": "has a line longer than %d bytes" % MAX_LINE_BYTES})
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(source, filename=label)
            found = tools_in_module(tree, MENTIONS_MCP.search(source) is not None)
        except Exception as error:  # noqa: BLE001  whatever a file does to the parser or to this reader, the next file is read
            files_unparsed += 1
            if len(unparsed) < MAX_REPORTED_ERRORS:
                unparsed.append({"file": label[:300], "error": ("%s: %s" % (type(error).__name__, error))[:300]})
            continue
        finally:
            tree = None
        for tool in found:
            if tool["name"] in by_name:
                continue
            size = len(json.dumps(tool, ensure_ascii=True))
            if len(by_name) >= max_tools or output_bytes + size > MAX_OUTPUT_BYTES:
                truncated = True
                break
            by_name[tool["name"]] = tool
            output_bytes += size
    return {"tools": list(by_name.values()), "filesRead": files_read, "filesUnparsed": files_unparsed, "unparsed": unparsed, "truncated": truncated}


def main(argv):
    limits = {"--max-files": 3000, "--max-file-bytes": 5 * 1024 * 1024, "--max-tools": 5000}
    positional = []
    stdin = False
    index = 0
    while index < len(argv):
        argument = argv[index]
        if argument in limits and index + 1 < len(argv):
            limits[argument] = int(argv[index + 1])
            index += 2
            continue
        if argument == "--stdin":
            stdin = True
        else:
            positional.append(argument)
        index += 1
    if stdin:
        files = [("<stdin>", sys.stdin.buffer.read(limits["--max-file-bytes"] + 1))]
    elif len(positional) == 2:
        files = own_modules(positional[0], positional[1])
    else:
        sys.stderr.write(__doc__.split("\n\n")[2] + "\n")
        return 2
    result = extract(files, limits["--max-files"], limits["--max-file-bytes"], limits["--max-tools"])
    sys.stdout.buffer.write(json.dumps(result, ensure_ascii=True, allow_nan=False).encode("ascii") + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
