/**
 * Whether a recognised side effect (`sinks.ts`) is the tool's own housekeeping, and which kind
 * (`records/code-effects.ts` {@link EffectScope}). Read from the call's arguments and the code around it, never
 * run; every walk is bounded by a step count, so a hostile file cannot make it slow.
 *
 * | scope | effect kinds | recognised |
 * |---|---|---|
 * | temp | fs.write, fs.delete | every path the call touches derives from `os.tmpdir()`, `process.env.TMPDIR/TMP/TEMP`, `mkdtemp` under one of those, a `tmp`/`tmp-promise`/`tempy`/`temp`/`tempfile` helper, or a literal `/tmp/…` path; through `const`s, `path.join/resolve/dirname`, templates, `+`, `await`, and `??`/`?:` only when both sides agree. A later `path.join` segment with `..`, or a `path.resolve` segment that is absolute or computed, spoils it |
 * | cache | fs.write, fs.delete | a path with a segment named like a cache (`.cache`, `cache`, `http-cache`) or a name on its way that says cache (`CACHE_DIR`, `this.cacheDir`, `getCachePath()`), or a call made inside a function, class or module file named like a cache or an eviction |
 * | debug-log | fs.write | the write, or a call on the way to it from the handler, sits under a debug check (`if (process.env.DEBUG)`, `NODE_ENV !== "production"`, `config.debug &&`, after `if (!DEBUG) return`), or its path ends in a literal `.log` |
 * | read-only-cli | spawn | the program and its sub-command are literal and only read: `kubectl get/describe/explain/logs`, `git status/log/diff/show`, `rg`, `grep`, `ls`, `cat`, `which`, `npm view/ls`, `docker ps/inspect/images`, … (see {@link READ_ONLY_PROGRAMS}, {@link READ_ONLY_SUBCOMMANDS}). A shell command line (`exec`, or `shell: true`) must be wholly literal and free of `; & \| < > $ \``; an argument vector may compute the arguments after the sub-command |
 * | module-load | eval | `Function`/`new Function` whose arguments are all literal and whose body only returns `import(x)` or `require(x)`, and `eval("require")` |
 * @internal
 */
import type { EffectScope } from '../../records/index.ts';
import { moduleOf } from './program.ts';
import { type AnyNode, parentOf } from './scope.ts';
import type { CalleeShape, Sink } from './sinks.ts';

/** What the scope reader needs of the effect reader: literal values and callee shapes, both bounded. */
export interface ScopeContext {
  /** The literal string value of an expression, following constants; undefined when computed. */
  string(node: AnyNode): string | undefined;
  /** The literal value of an expression (any JSON-like value), or undefined when computed. */
  literal(node: AnyNode): unknown;
  /** The expression that defines a value, following constants and imports. */
  deref(node: AnyNode): AnyNode;
  /** A property of an object-literal expression, unresolved. */
  member(node: AnyNode, key: string): AnyNode | undefined;
  /** The callee's chain of names and the package its root comes from. */
  shape(callee: AnyNode): CalleeShape | null;
}

/** Steps one scope decision may take (nodes looked at, parents climbed). */
const MAX_STEPS = 600;
/** Nodes looked at for changes to an argument vector held in a variable. */
const MAX_SCAN_NODES = 20_000;
/** Array methods that change an array other than at its end. */
const MUTATORS = new Set(['unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'shift']);
/** Bindings and calls followed from a path argument back to where it was made. */
const MAX_PATH_DEPTH = 10;

const TEMP_PACKAGES = new Set(['tmp', 'tmp-promise', 'tempy', 'temp', 'tempfile', 'temp-dir', 'temp-write', 'tmp-file']);
const TEMP_ENV = /^(?:TMPDIR|TMP|TEMP|TEMPDIR|RUNNER_TEMP)$/;
const TEMP_LITERAL = /^(?:\/tmp|\/var\/tmp|\/private\/tmp|\/dev\/shm)(?:\/|$)/;
const BARE_TEMP = /^(?:\/tmp|\/var\/tmp|\/private\/tmp|\/dev\/shm)$/;
/** A path segment that names a cache folder: `.cache`, `cache`, `http-cache`, `__pycache__`, `cache.json`. */
const CACHE_SEGMENT = /(?:^|[-_.])cache(?:s|d)?(?:$|[-_.])/i;
/** A name that says cache: `cacheDir`, `CACHE_PATH`, `getCacheFile`, `diskCache`. */
const CACHE_NAME = /cache/i;
/** A function or class whose calls are cache housekeeping. */
const CACHE_HELPER = /cache|evict/i;
const PATH_JOIN = new Set(['join', 'resolve', 'normalize', 'dirname', 'toNamespacedPath']);
/** Methods whose first two arguments are both paths (source, destination). */
const TWO_PATHS = new Set(['rename', 'renameSync', 'copyFile', 'copyFileSync', 'cp', 'cpSync', 'copy', 'copySync', 'move', 'moveSync', 'symlink', 'symlinkSync', 'link', 'linkSync']);
/** Methods that take a file descriptor, not a path: what they touch cannot be told from the call. */
const DESCRIPTOR_METHODS = new Set(['write', 'writeSync', 'writev', 'ftruncate']);

/** Names and environment variables of a debug switch. */
const DEBUG_NAME = /^(?:debug|is_?debug(?:_?(?:mode|enabled|on))?|debug_?(?:mode|enabled|log|logging|on)|is_?dev(?:elopment)?|dev_?mode|isDebugEnabled|[A-Z0-9_]+_DEBUG|DEBUG_[A-Z0-9_]+)$/i;
const DEV_ENVIRONMENTS = /^(?:development|dev|debug|local)$/i;

/**
 * Programs that only read whatever their arguments (bar shell redirection, which a literal command line is checked
 * for). Programs that can write through an ordinary flag (`find -delete`, `sort -o`, `sed -i`, `yq -i`) are not here.
 */
export const READ_ONLY_PROGRAMS: ReadonlySet<string> = new Set([
  'rg', 'grep', 'egrep', 'fgrep', 'ag', 'ls', 'cat', 'head', 'tail', 'wc', 'which', 'whereis', 'file', 'stat', 'du', 'df', 'pwd', 'whoami',
  'uname', 'hostname', 'id', 'date', 'echo', 'printenv', 'ps', 'uptime', 'free', 'tree', 'jq', 'diff', 'readlink', 'realpath', 'basename',
  'dirname', 'dig', 'nslookup', 'host', 'nproc', 'lsb_release', 'sw_vers', 'pdftotext', 'pdfinfo', 'ffprobe', 'exiftool', 'identify',
]);

/** Programs whose first sub-command decides, and the sub-commands that only read. */
export const READ_ONLY_SUBCOMMANDS: ReadonlyMap<string, ReadonlySet<string>> = new Map(Object.entries({
  kubectl: ['get', 'describe', 'explain', 'logs', 'top', 'version', 'api-resources', 'api-versions', 'cluster-info'],
  oc: ['get', 'describe', 'explain', 'logs', 'top', 'version', 'api-resources', 'api-versions', 'whoami'],
  git: ['status', 'log', 'diff', 'show', 'blame', 'rev-parse', 'ls-files', 'ls-tree', 'ls-remote', 'describe', 'shortlog', 'grep', 'cat-file',
    'show-ref', 'name-rev', 'merge-base', 'for-each-ref', 'rev-list', 'whatchanged', 'version', 'check-ignore'],
  npm: ['view', 'info', 'show', 'v', 'ls', 'list', 'll', 'la', 'outdated', 'search', 'root', 'prefix', 'explain', 'why'],
  pnpm: ['ls', 'list', 'why', 'outdated', 'root'],
  yarn: ['info', 'why', 'list'],
  docker: ['ps', 'inspect', 'images', 'logs', 'version', 'info', 'history', 'port', 'top', 'search', 'diff', 'stats'],
  podman: ['ps', 'inspect', 'images', 'logs', 'version', 'info', 'history', 'port', 'top', 'search', 'diff', 'stats'],
  helm: ['list', 'ls', 'status', 'get', 'show', 'search', 'history', 'version', 'env'],
  terraform: ['show', 'output', 'version'],
  systemctl: ['status', 'show', 'is-active', 'is-enabled', 'list-units'],
  brew: ['list', 'info', 'search', 'deps'],
  pip: ['list', 'show', 'freeze'],
  pip3: ['list', 'show', 'freeze'],
  go: ['version', 'env', 'doc'],
}).map(([program, subs]) => [program, new Set(subs)]));

/** Global flags that take the next word as their value, per program (`git -C dir status`, `kubectl -n ns get`). */
const VALUE_FLAGS: ReadonlyMap<string, ReadonlySet<string>> = new Map(Object.entries({
  kubectl: ['-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-s', '--server'],
  oc: ['-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-s', '--server'],
  git: ['-C', '--git-dir', '--work-tree'],
  docker: ['-H', '--host', '--context', '--config'],
  podman: ['--url', '--connection'],
  helm: ['-n', '--namespace', '--kube-context', '--kubeconfig'],
  npm: ['--prefix', '--registry'],
}).map(([program, flags]) => [program, new Set(flags)]));
/** A literal global flag that changes what a program runs (`git -c core.pager=…`, `--exec-path`): never read-only. */
const UNSAFE_FLAG = /^(?:-c|--exec-path(?:=.*)?|--config-env(?:=.*)?|--pre(?:=.*)?)$/;
/** Shell syntax that chains, redirects or substitutes. */
const SHELL_SYNTAX = /[;&|<>`$\n\r(){}]/;
const SHELL_SPAWNS = new Set(['child_process.exec', 'child_process.execSync', 'shelljs.exec']);
const VECTOR_SPAWNS = new Set(['child_process.execFile', 'child_process.execFileSync', 'child_process.spawn', 'child_process.spawnSync', 'cross-spawn', 'execa', 'tinyexec', 'nano-spawn', '@expo/spawn-async', 'spawn-please']);

/** A body that only loads a module: `return import(specifier)`, `return require("sharp")`. */
const MODULE_LOAD_BODY = /^\s*(?:["']use strict["'];?\s*)?return\s+(?:import|require)\s*\(\s*(?:[A-Za-z_$][\w$]*|"[^"\\]*"|'[^'\\]*')\s*\)\s*;?\s*$/;
const PARAMETER = /^\s*[A-Za-z_$][\w$]*\s*$/;

type Root = 'temp' | 'cache' | 'log';

/** What {@link effectScope} found: the scope, and for file effects the places their paths were made. */
export interface ScopeFinding {
  scope: EffectScope | undefined;
  /**
   * The declarations (and the path texts) the file paths of the call come from: a temporary file written is the
   * tool's own only when a read or a deletion of the same handler shares one of them (`effects.ts`).
   */
  anchors: Set<unknown>;
}

/**
 * The scope of one recognised effect at `call` (a CallExpression or NewExpression): undefined when it may change
 * what the caller sees. `debugPath`: a call on the way from the handler to this one sits under a debug check. For
 * `temp` on a written file, the caller still has to find a read or deletion sharing an anchor.
 */
export function effectScope(call: AnyNode, sink: Sink, shape: CalleeShape, ctx: ScopeContext, debugPath = false): ScopeFinding {
  const reader = new ScopeReader(ctx);
  return { scope: reader.scopeOf(call, sink, shape, debugPath), anchors: reader.anchors };
}

/** Whether `node` sits under a debug check (see {@link effectScope}); false when undecided within the step budget. */
export function underDebugCheck(node: AnyNode, ctx: ScopeContext): boolean {
  try {
    return new ScopeReader(ctx).debugGuarded(node);
  } catch (error) {
    if (error instanceof OutOfSteps || error instanceof RangeError) return false;
    throw error;
  }
}

class OutOfSteps extends Error {}

class ScopeReader {
  private steps = 0;
  /** Declarations and path texts met on the way from a path argument to where it was made. */
  readonly anchors = new Set<unknown>();

  constructor(private readonly ctx: ScopeContext) {}

  scopeOf(call: AnyNode, sink: Sink, shape: CalleeShape, debugPath: boolean): EffectScope | undefined {
    try {
      switch (sink.kind) {
        case 'fs.write':
        case 'fs.delete':
          return this.fileScope(call, sink, shape, debugPath);
        case 'fs.read':
          this.fileScope(call, sink, shape, false);
          return undefined;
        case 'spawn':
          return this.readOnlyCommand(call, sink) ? 'read-only-cli' : undefined;
        case 'eval':
          return this.moduleLoad(call, sink) ? 'module-load' : undefined;
        default:
          return undefined;
      }
    } catch (error) {
      if (error instanceof OutOfSteps || error instanceof RangeError) return undefined;
      throw error;
    }
  }

  private tick(): void {
    this.steps += 1;
    if (this.steps > MAX_STEPS) throw new OutOfSteps();
  }

  // Files.

  fileScope(call: AnyNode, sink: Sink, shape: CalleeShape, debugPath: boolean): EffectScope | undefined {
    const method = shape.names[shape.names.length - 1] ?? '';
    if (sink.kind === 'fs.write' && (debugPath || this.debugGuarded(call))) return 'debug-log';
    const argv: AnyNode[] = call.arguments ?? [];
    const paths = DESCRIPTOR_METHODS.has(method) ? [] : TWO_PATHS.has(method) ? argv.slice(0, 2) : argv.slice(0, 1);
    for (const p of paths) {
      const text = sourceText(p);
      if (text) this.anchors.add(`text:${text}`);
    }
    const made = declaratorOf(call);
    if (made) this.anchors.add(made);
    const roots = paths.map((p) => this.root(p, 0));
    if (roots.length > 0 && roots.every((r) => r !== undefined)) {
      // Every path is housekeeping; a copy or move is scoped by where it lands.
      const root = roots[roots.length - 1]!;
      if (root === 'log') return sink.kind === 'fs.write' ? 'debug-log' : undefined;
      return root;
    }
    return this.insideCacheHelper(call) ? 'cache' : undefined;
  }

  /** Where a path expression leads, when it is housekeeping; undefined when it may be anywhere (or the caller's). */
  private root(node: AnyNode, depth: number): Root | undefined {
    this.tick();
    if (!node || depth > MAX_PATH_DEPTH) return undefined;
    switch (node.type) {
      case 'Literal':
        return typeof node.value === 'string' ? textRoot(node.value) : undefined;
      case 'TemplateLiteral': {
        const quasis: string[] = node.quasis.map((q: AnyNode) => q.value?.cooked ?? '');
        if (quasis.some((q) => /(?:^|[/\\])\.\.(?:[/\\]|$)/.test(q))) return undefined;
        const head = quasis[0] ?? '';
        if (head === '' && node.expressions.length > 0) {
          const first = this.root(node.expressions[0], depth + 1);
          if (first) return first;
        }
        // `/tmp${x}` may be `/tmp2/…`: a temporary folder's name must be followed by a slash.
        if (node.expressions.length > 0 && BARE_TEMP.test(head)) return undefined;
        return textRoot(quasis.join('/'), quasis[quasis.length - 1] ?? '');
      }
      case 'BinaryExpression': {
        if (node.operator !== '+') return undefined;
        const head = this.ctx.string(node.left);
        if (head !== undefined && BARE_TEMP.test(head)) return undefined;
        const left = this.root(node.left, depth + 1);
        if (left) return left;
        const tail = this.ctx.string(node.right);
        return tail !== undefined && /\.log$/i.test(tail) ? 'log' : tail !== undefined && !/\.\./.test(tail) && CACHE_SEGMENT.test(tail) ? 'cache' : undefined;
      }
      case 'Identifier': {
        if (CACHE_NAME.test(node.name)) return 'cache';
        const binding = moduleOf(node)?.scopes.lookup(node);
        if (!binding || binding.ambiguous || binding.opaque) return undefined;
        this.anchors.add(binding.declaration);
        if (binding.kind === 'const' || ((binding.kind === 'let' || binding.kind === 'var') && !binding.reassigned)) {
          const init = binding.declaration.init;
          if (!init) return undefined;
          if (binding.path.length === 0) return this.root(init, depth + 1);
          // const { path: dir } = await tmp.dir(), const [file] = …: what the destructured value comes from.
          return this.root(init, depth + 1) === 'temp' ? 'temp' : undefined;
        }
        return undefined;
      }
      case 'MemberExpression': {
        const key = node.computed ? undefined : node.property?.name;
        if (key && CACHE_NAME.test(key)) return 'cache';
        if (key && TEMP_ENV.test(key) && isProcessEnv(node.object)) return 'temp';
        // tmpFile.name, dir.path: a property of a temporary handle.
        return key && /^(?:name|path|dir|tmpdir|file)$/.test(key) ? (this.root(node.object, depth + 1) === 'temp' ? 'temp' : undefined) : undefined;
      }
      case 'AwaitExpression':
        return this.root(node.argument, depth + 1);
      case 'ParenthesizedExpression':
      case 'ChainExpression':
        return this.root(node.expression, depth + 1);
      case 'LogicalExpression':
        if (node.operator === '&&') return undefined;
        return agree(this.root(node.left, depth + 1), this.root(node.right, depth + 1));
      case 'ConditionalExpression':
        return agree(this.root(node.consequent, depth + 1), this.root(node.alternate, depth + 1));
      case 'CallExpression':
        return this.callRoot(node, depth);
      default:
        return undefined;
    }
  }

  private callRoot(node: AnyNode, depth: number): Root | undefined {
    const shape = this.ctx.shape(node.callee);
    if (!shape) return undefined;
    const method = shape.names[shape.names.length - 1] ?? '';
    const argv: AnyNode[] = node.arguments ?? [];
    if (method === 'tmpdir' && (shape.origin === 'os' || (!shape.origin && shape.names[0] === 'os'))) return 'temp';
    if (shape.origin && TEMP_PACKAGES.has(shape.origin)) return 'temp';
    if ((method === 'mkdtemp' || method === 'mkdtempSync') && argv[0]) return this.root(argv[0], depth + 1) === 'temp' ? 'temp' : undefined;
    const isPath = shape.origin === 'path' || shape.origin === 'upath' || (!shape.origin && shape.names[0] === 'path');
    if (isPath && PATH_JOIN.has(method) && argv.length > 0) {
      for (const later of argv.slice(1)) {
        const text = this.ctx.string(later);
        if (text !== undefined && /(?:^|[/\\])\.\.(?:[/\\]|$)/.test(text)) return undefined;
        if (method === 'resolve' && (text === undefined ? this.root(later, depth + 1) === undefined : /^(?:[/\\]|[A-Za-z]:)/.test(text))) return undefined;
      }
      const first = this.root(argv[0], depth + 1);
      if (method === 'dirname' || method === 'normalize') return first === 'log' ? undefined : first;
      const last = argv.length > 1 ? this.ctx.string(argv[argv.length - 1]) : undefined;
      if (last !== undefined && /\.log$/i.test(last)) return first === 'temp' ? 'temp' : 'log';
      if (first) return first;
      // path.join(os.homedir(), ".cache", "x"), path.join(base, cacheName, key): a cache segment on the way.
      for (const later of argv.slice(1)) {
        const text = this.ctx.string(later);
        if (text !== undefined ? CACHE_SEGMENT.test(text) : this.root(later, depth + 1) === 'cache') return 'cache';
      }
      return undefined;
    }
    if (shape.names.some((n) => CACHE_NAME.test(n))) return 'cache';
    return undefined;
  }

  /**
   * The call sits in a function or class named like a cache or an eviction (`saveCache`, `class DiskCache`), or in a
   * module whose file is named like a cache (`utils/chunkCache.js`).
   */
  private insideCacheHelper(node: AnyNode): boolean {
    const file = moduleOf(node)?.file;
    if (typeof file === 'string' && CACHE_NAME.test(file.split(/[/\\]/).pop() ?? '')) return true;
    for (let current = parentOf.get(node); current; current = parentOf.get(current)) {
      this.tick();
      const name = ownName(current);
      if (name !== undefined && CACHE_HELPER.test(name)) return true;
    }
    return false;
  }

  // Debug checks.

  /** Whether the node runs only when a debug switch is on (see the table above). */
  debugGuarded(node: AnyNode): boolean {
    let child = node;
    for (let parent = parentOf.get(node); parent; child = parent, parent = parentOf.get(parent)) {
      this.tick();
      switch (parent.type) {
        case 'IfStatement':
        case 'ConditionalExpression':
          if (child === parent.consequent && this.debugTest(parent.test) === 'on') return true;
          if (child === parent.alternate && this.debugTest(parent.test) === 'off') return true;
          break;
        case 'LogicalExpression':
          if (child === parent.right && parent.operator === '&&' && this.debugTest(parent.left) === 'on') return true;
          if (child === parent.right && parent.operator === '||' && this.debugTest(parent.left) === 'off') return true;
          break;
        case 'BlockStatement':
        case 'Program':
        case 'StaticBlock': {
          // if (!process.env.DEBUG) return; … the write
          for (const statement of parent.body) {
            if (statement === child) break;
            this.tick();
            if (statement.type === 'IfStatement' && !statement.alternate && leaves(statement.consequent) && this.debugTest(statement.test) === 'off') return true;
          }
          break;
        }
        default:
          break;
      }
    }
    return false;
  }

  /** `on`: the test holds only when debugging; `off`: only when not; undefined: neither is known. */
  private debugTest(test: AnyNode, depth = 0): 'on' | 'off' | undefined {
    this.tick();
    if (!test || depth > 8) return undefined;
    switch (test.type) {
      case 'Identifier':
        return DEBUG_NAME.test(test.name) ? 'on' : undefined;
      case 'MemberExpression': {
        const key = test.computed ? (typeof test.property?.value === 'string' ? test.property.value : undefined) : test.property?.name;
        return key !== undefined && DEBUG_NAME.test(key) ? 'on' : undefined;
      }
      case 'CallExpression': {
        const name = test.callee?.type === 'Identifier' ? test.callee.name : test.callee?.type === 'MemberExpression' && !test.callee.computed ? test.callee.property.name : undefined;
        return name !== undefined && DEBUG_NAME.test(name) ? 'on' : undefined;
      }
      case 'UnaryExpression':
        if (test.operator !== '!') return undefined;
        return flip(this.debugTest(test.argument, depth + 1));
      case 'ParenthesizedExpression':
      case 'ChainExpression':
        return this.debugTest(test.expression, depth + 1);
      case 'LogicalExpression': {
        const left = this.debugTest(test.left, depth + 1);
        const right = this.debugTest(test.right, depth + 1);
        if (test.operator === '&&') return left === 'on' || right === 'on' ? 'on' : left === 'off' || right === 'off' ? 'off' : undefined;
        if (test.operator === '||') return left === right ? left : undefined;
        return undefined;
      }
      case 'BinaryExpression': {
        const op = test.operator;
        if (!['===', '==', '!==', '!='].includes(op)) return undefined;
        const [subject, other] = isNodeEnv(test.left) ? [test.left, test.right] : isNodeEnv(test.right) ? [test.right, test.left] : [undefined, undefined];
        if (!subject) return undefined;
        const value = this.ctx.string(other);
        if (value === undefined) return undefined;
        const equal = op === '===' || op === '==';
        if (DEV_ENVIRONMENTS.test(value)) return equal ? 'on' : 'off';
        if (/^production$/i.test(value)) return equal ? 'off' : 'on';
        return undefined;
      }
      default:
        return undefined;
    }
  }

  // Processes.

  readOnlyCommand(call: AnyNode, sink: Sink): boolean {
    const argv: AnyNode[] = call.arguments ?? [];
    if (SHELL_SPAWNS.has(sink.detail)) {
      const line = argv[0] ? this.ctx.string(argv[0]) : undefined;
      return line !== undefined && readOnlyLine(line);
    }
    if (!VECTOR_SPAWNS.has(sink.detail)) return false;
    const program = argv[0] ? this.ctx.string(argv[0]) : undefined;
    if (program === undefined) return false;
    const second = argv[1] ? this.ctx.deref(argv[1]) : undefined;
    const vector = second?.type === 'ArrayExpression' ? second : undefined;
    const options = vector ? argv[2] : second?.type === 'ObjectExpression' ? second : argv[2];
    if (argv[1] && !vector && second?.type !== 'ObjectExpression') return false;
    // An argument vector built in a variable may only grow at its end (`args.push(…)`).
    if (vector && !this.onlyAppended(vector)) return false;
    // Options that cannot be read may ask for a shell.
    if (options && options.type !== 'SpreadElement' && this.ctx.deref(options)?.type !== 'ObjectExpression') return false;
    const shell = options ? this.ctx.member(options, 'shell') : undefined;
    if (shell !== undefined && this.ctx.literal(shell) !== false) {
      // With a shell, the words are joined into a command line: all of it must be literal.
      const words = (vector?.elements ?? []).map((e: AnyNode) => (e?.type === 'SpreadElement' ? undefined : this.ctx.string(e)));
      return words.every((w: string | undefined) => w !== undefined) && readOnlyLine([program, ...words].join(' '));
    }
    if (/\s/.test(program.trim())) return false;
    const words: Array<string | undefined> = [];
    for (const element of vector?.elements ?? []) {
      if (element?.type === 'SpreadElement') {
        words.push(undefined);
        break;
      }
      words.push(element ? this.ctx.string(element) : undefined);
    }
    return readOnlyWords(program, words);
  }

  /**
   * Whether an array literal held in a variable is changed only at its end: no `unshift`, `splice`, `sort`,
   * `reverse`, `fill`, `copyWithin` and no element assignment on that name in the function (or module) that declares
   * it. An array that is not held in a variable is not changed elsewhere.
   */
  private onlyAppended(array: AnyNode): boolean {
    const declarator = parentOf.get(array);
    if (declarator?.type !== 'VariableDeclarator' || declarator.init !== array) return true;
    if (declarator.id?.type !== 'Identifier') return false;
    const name = declarator.id.name;
    let scope = parentOf.get(declarator);
    while (scope && !/^(?:FunctionDeclaration|FunctionExpression|ArrowFunctionExpression|Program)$/.test(scope.type)) scope = parentOf.get(scope);
    if (!scope) return false;
    const stack: AnyNode[] = [scope];
    let seen = 0;
    while (stack.length > 0) {
      const node = stack.pop();
      if (!node || typeof node !== 'object') continue;
      seen += 1;
      if (seen > MAX_SCAN_NODES) return false;
      if (node.type === 'MemberExpression' && node.object?.type === 'Identifier' && node.object.name === name) {
        const key = node.computed ? undefined : node.property?.name;
        const parent = parentOf.get(node);
        if (key !== undefined && MUTATORS.has(key)) return false;
        if (parent?.type === 'AssignmentExpression' && parent.left === node) return false;
        if (parent?.type === 'UpdateExpression') return false;
      }
      if (node.type === 'AssignmentExpression' && node.left?.type === 'Identifier' && node.left.name === name) return false;
      for (const key of Object.keys(node)) {
        if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
        const value = node[key];
        if (Array.isArray(value)) {
          for (const v of value) if (v && typeof v.type === 'string') stack.push(v);
        } else if (value && typeof value === 'object' && typeof value.type === 'string') stack.push(value);
      }
    }
    return true;
  }

  // Evaluated code.

  moduleLoad(call: AnyNode, sink: Sink): boolean {
    const argv: AnyNode[] = call.arguments ?? [];
    if (argv.length === 0) return false;
    const texts = argv.map((a) => (a.type === 'SpreadElement' ? undefined : this.ctx.string(a)));
    if (texts.some((t) => t === undefined)) return false;
    if (sink.detail === 'eval') return argv.length === 1 && /^\s*require\s*$/.test(texts[0]!);
    if (sink.detail !== 'Function' && sink.detail !== 'new Function') return false;
    const body = texts[texts.length - 1]!;
    const params = texts.slice(0, -1).flatMap((t) => t!.split(','));
    return MODULE_LOAD_BODY.test(body) && params.every((p) => PARAMETER.test(p));
  }
}

/** The source text of a node, spaces collapsed, at most 200 characters; undefined when unknown. */
function sourceText(node: AnyNode): string | undefined {
  const text = moduleOf(node)?.text;
  if (typeof text !== 'string' || typeof node?.start !== 'number' || node.end - node.start > 200) return undefined;
  return text.slice(node.start, node.end).replace(/\s+/g, ' ');
}

/** The variable a call's result is stored in (`const dir = await mkdtemp(…)`), as its declarator. */
function declaratorOf(call: AnyNode): AnyNode | undefined {
  let node = call;
  for (let parent = parentOf.get(node), i = 0; parent && i < 4; node = parent, parent = parentOf.get(parent), i += 1) {
    if (parent.type === 'VariableDeclarator') return parent.init === node ? parent : undefined;
    if (parent.type !== 'AwaitExpression' && parent.type !== 'ParenthesizedExpression' && parent.type !== 'ChainExpression') return undefined;
  }
  return undefined;
}

/** Housekeeping read from a literal path text; `tail` is the text after the last substitution. */
function textRoot(text: string, tail = text): Root | undefined {
  if (/(?:^|[/\\])\.\.(?:[/\\]|$)/.test(text)) return undefined;
  if (TEMP_LITERAL.test(text)) return 'temp';
  if (text.split(/[/\\]/).some((segment) => CACHE_SEGMENT.test(segment))) return 'cache';
  if (/\.log$/i.test(tail)) return 'log';
  return undefined;
}

function agree(a: Root | undefined, b: Root | undefined): Root | undefined {
  return a !== undefined && a === b ? a : undefined;
}

function flip(v: 'on' | 'off' | undefined): 'on' | 'off' | undefined {
  return v === 'on' ? 'off' : v === 'off' ? 'on' : undefined;
}

function isProcessEnv(node: AnyNode): boolean {
  return node?.type === 'MemberExpression' && !node.computed && node.property?.name === 'env' && node.object?.type === 'Identifier' && node.object.name === 'process';
}

function isNodeEnv(node: AnyNode): boolean {
  const key = node?.type === 'MemberExpression' ? (node.computed ? node.property?.value : node.property?.name) : node?.type === 'Identifier' ? node.name : undefined;
  return key === 'NODE_ENV';
}

/** A statement that leaves the block: `return`, `throw`, or a block that starts with one. */
function leaves(statement: AnyNode): boolean {
  if (statement?.type === 'ReturnStatement' || statement?.type === 'ThrowStatement') return true;
  return statement?.type === 'BlockStatement' && statement.body.length > 0 && leaves(statement.body[0]);
}

/** The name a function or class is known by: its own, its variable's, its property's or its method's. */
function ownName(node: AnyNode): string | undefined {
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'ClassDeclaration':
    case 'ClassExpression':
      return node.id?.name;
    case 'FunctionExpression':
    case 'ArrowFunctionExpression': {
      if (node.id?.name) return node.id.name;
      const parent = parentOf.get(node);
      if (parent?.type === 'VariableDeclarator' && parent.id?.type === 'Identifier') return parent.id.name;
      if ((parent?.type === 'Property' || parent?.type === 'MethodDefinition' || parent?.type === 'PropertyDefinition') && !parent.computed) return parent.key?.name ?? (typeof parent.key?.value === 'string' ? parent.key.value : undefined);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** A wholly literal shell command line whose program and sub-command only read. */
function readOnlyLine(line: string): boolean {
  if (SHELL_SYNTAX.test(line) || /["'\\]/.test(line.trim().split(/\s+/).slice(0, 3).join(' '))) return false;
  const words = line.trim().split(/\s+/);
  return readOnlyWords(words[0] ?? '', words.slice(1));
}

/**
 * Whether a program and its argument vector only read: the program is read-only whatever follows, or its literal
 * global flags are known and harmless and its first other word is a literal read-only sub-command. `undefined`
 * stands for a computed word.
 */
export function readOnlyWords(program: string, words: ReadonlyArray<string | undefined>): boolean {
  const name = program.trim().split(/[/\\]/).pop()!.replace(/\.(?:exe|cmd)$/i, '');
  if (!/^[\w.-]+$/.test(name)) return false;
  if (READ_ONLY_PROGRAMS.has(name)) return !words.some((w) => w !== undefined && UNSAFE_FLAG.test(w));
  const subcommands = READ_ONLY_SUBCOMMANDS.get(name);
  if (!subcommands) return false;
  const valueFlags = VALUE_FLAGS.get(name) ?? new Set<string>();
  let versionFlag = false;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i];
    if (word === undefined) return false;
    if (word.startsWith('-')) {
      if (UNSAFE_FLAG.test(word)) return false;
      if (/^(?:--version|-v|-V|--help|-h)$/.test(word)) versionFlag = true;
      if (valueFlags.has(word)) i += 1;
      continue;
    }
    return subcommands.has(word);
  }
  return versionFlag;
}
