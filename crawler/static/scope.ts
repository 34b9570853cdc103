/**
 * Lexical scopes of one parsed module, enough to tell which declaration an identifier refers to: `var` and function
 * parameters belong to their function, `let`, `const`, classes and function declarations to their block, imports
 * to the module. A name bound twice in one scope is marked ambiguous, a `let`/`var` that is assigned anywhere is
 * marked reassigned; the reader follows neither.
 */
import { fullAncestor } from 'acorn-walk';

/* eslint-disable @typescript-eslint/no-explicit-any -- ESTree nodes are walked structurally */
export type AnyNode = any;

export type BindingKind = 'var' | 'let' | 'const' | 'param' | 'function' | 'class' | 'import' | 'catch';

export interface Binding {
  name: string;
  kind: BindingKind;
  /**
   * The declaring node: the `VariableDeclarator` (var, let, const), the function (param, and a function
   * declaration's own name), the class, the import specifier, or the `CatchClause`.
   */
  declaration: AnyNode;
  /** Where the name sits in a destructuring pattern, from the value outwards: `const { a: [b] } = x` gives b `['a', 0]`. */
  path: Array<string | number>;
  /** The pattern is not a plain path (a rest element, a default value): the value cannot be followed. */
  opaque: boolean;
  /** For a parameter: the position of the parameter it is (part of). */
  paramIndex?: number;
  reassigned: boolean;
  ambiguous: boolean;
}

const BLOCK_SCOPES = new Set(['Program', 'BlockStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'SwitchStatement', 'StaticBlock']);
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/**
 * Each visited node's parent, for every module parsed (nodes are distinct objects, so one map serves all). Property
 * keys of non-computed members are not visited and have none.
 */
export const parentOf = new WeakMap<object, AnyNode>();

export class Scopes {
  private readonly scopes = new Map<AnyNode, Map<string, Binding>>();

  constructor(readonly program: AnyNode) {
    const declarations: Array<{ node: AnyNode; ancestors: AnyNode[] }> = [];
    const writes: AnyNode[] = [];
    fullAncestor(program, (node: AnyNode, _state: unknown, ancestors: AnyNode[]) => {
      const parent = ancestors[ancestors.length - 2];
      if (parent && parent !== node) parentOf.set(node, parent);
      switch (node.type) {
        case 'VariableDeclaration':
        case 'FunctionDeclaration':
        case 'FunctionExpression':
        case 'ArrowFunctionExpression':
        case 'ClassDeclaration':
        case 'ClassExpression':
        case 'ImportDeclaration':
        case 'CatchClause':
          declarations.push({ node, ancestors: ancestors.slice(0, -1) });
          break;
        case 'AssignmentExpression':
        case 'UpdateExpression':
        case 'ForInStatement':
        case 'ForOfStatement':
          writes.push(node);
          break;
      }
    });
    for (const { node, ancestors } of declarations) this.declare(node, ancestors);
    for (const node of writes) {
      const target = node.type === 'UpdateExpression' ? node.argument : node.left;
      if (target?.type === 'VariableDeclaration') continue;
      for (const { id } of patternNames(target)) {
        const binding = this.lookup(id);
        if (binding) binding.reassigned = true;
      }
    }
  }

  /** The binding an identifier (in expression position) refers to, or undefined for a global or an unknown name. */
  lookup(identifier: AnyNode): Binding | undefined {
    const name = identifier.name as string;
    for (let node = parentOf.get(identifier); node; node = parentOf.get(node)) {
      const binding = this.scopes.get(node)?.get(name);
      if (binding) return binding;
    }
    return undefined;
  }

  /** The module-level binding of a name (what `export { name }` exports), if any. */
  topLevel(name: string): Binding | undefined {
    return this.scopes.get(this.program)?.get(name);
  }

  private declare(node: AnyNode, ancestors: AnyNode[]): void {
    const block = (): AnyNode => findLast(ancestors, (a) => BLOCK_SCOPES.has(a.type)) ?? this.program;
    const fn = (): AnyNode => findLast(ancestors, (a) => FUNCTIONS.has(a.type) || a.type === 'Program') ?? this.program;
    switch (node.type) {
      case 'VariableDeclaration': {
        const scope = node.kind === 'var' ? fn() : block();
        for (const declarator of node.declarations) {
          for (const { id, path, opaque } of patternNames(declarator.id)) this.add(scope, id.name, { kind: node.kind === 'var' ? 'var' : node.kind === 'const' ? 'const' : 'let', declaration: declarator, path, opaque });
        }
        break;
      }
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        if (node.id && node.type === 'FunctionDeclaration') this.add(block(), node.id.name, { kind: 'function', declaration: node, path: [], opaque: false });
        if (node.id && node.type === 'FunctionExpression') this.add(node, node.id.name, { kind: 'function', declaration: node, path: [], opaque: false });
        node.params.forEach((param: AnyNode, paramIndex: number) => {
          const rest = param.type === 'RestElement';
          for (const { id, path, opaque } of patternNames(param)) this.add(node, id.name, { kind: 'param', declaration: node, path, opaque: opaque || rest, paramIndex });
        });
        break;
      case 'ClassDeclaration':
        if (node.id) this.add(block(), node.id.name, { kind: 'class', declaration: node, path: [], opaque: false });
        break;
      case 'ClassExpression':
        if (node.id) this.add(node, node.id.name, { kind: 'class', declaration: node, path: [], opaque: false });
        break;
      case 'ImportDeclaration':
        for (const specifier of node.specifiers) this.add(this.program, specifier.local.name, { kind: 'import', declaration: specifier, path: [], opaque: false });
        break;
      case 'CatchClause':
        for (const { id } of patternNames(node.param)) this.add(node, id.name, { kind: 'catch', declaration: node, path: [], opaque: true });
        break;
    }
  }

  private add(scope: AnyNode, name: string, binding: Omit<Binding, 'name' | 'reassigned' | 'ambiguous'>): void {
    let names = this.scopes.get(scope);
    if (!names) this.scopes.set(scope, (names = new Map()));
    const existing = names.get(name);
    if (existing) existing.ambiguous = true;
    else names.set(name, { name, ...binding, reassigned: false, ambiguous: false });
  }
}

function findLast<T>(items: T[], test: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i -= 1) if (test(items[i] as T)) return items[i];
  return undefined;
}

/** The identifiers a binding pattern declares, each with its path from the bound value. */
export function patternNames(pattern: AnyNode, path: Array<string | number> = [], opaque = false): Array<{ id: AnyNode; path: Array<string | number>; opaque: boolean }> {
  if (!pattern) return [];
  switch (pattern.type) {
    case 'Identifier':
      return [{ id: pattern, path, opaque }];
    case 'AssignmentPattern':
      // A default applies only when the value is undefined, so a known value still follows the path.
      return patternNames(pattern.left, path, opaque);
    case 'RestElement':
      return patternNames(pattern.argument, path, true);
    case 'ArrayPattern':
      return pattern.elements.flatMap((element: AnyNode, i: number) => patternNames(element, [...path, i], opaque));
    case 'ObjectPattern':
      return pattern.properties.flatMap((p: AnyNode) => {
        if (p.type === 'RestElement') return patternNames(p.argument, path, true);
        const key = p.computed ? null : p.key.type === 'Identifier' ? p.key.name : typeof p.key.value === 'string' ? p.key.value : null;
        return key === null ? patternNames(p.value, path, true) : patternNames(p.value, [...path, key], opaque);
      });
    default:
      return [];
  }
}
