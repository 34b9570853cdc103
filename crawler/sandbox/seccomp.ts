/**
 * The sandbox's seccomp filter: a classic BPF program (Linux `Documentation/userspace-api/seccomp_filter.rst`) that
 * bubblewrap loads with `--seccomp FD` just before it runs the server, under `PR_SET_NO_NEW_PRIVS`.
 *
 * It refuses, with `EPERM`, the system calls a server has no business making: debugging and reading other processes
 * (`ptrace`, `process_vm_readv`/`writev`, `kcmp`, `pidfd_getfd`), mounting and namespaces (`mount`, `umount2`,
 * `pivot_root`, the new mount API, `setns`, `unshare` and `clone` with a namespace flag), kernel modules, kexec,
 * `bpf`, `perf_event_open`, the key store, `userfaultfd`, `io_uring`, the clock, `reboot`, swap, `acct`, quotas,
 * file handles (`open_by_handle_at`, `name_to_handle_at`), the kernel log, port I/O and the LDT, page migration,
 * `fanotify_init`, `personality` other than a query or `PER_LINUX`, and the obsolete calls. {@link DENIED_SYSCALLS}
 * is the list, with a reason each. `clone3` answers `ENOSYS`, since its flags sit in memory the filter cannot read:
 * the C library then falls back to `clone`, whose flags it can. Every other call is allowed.
 *
 * The program checks the architecture first (`seccomp_data.arch`): x86_64 and aarch64 each have their own section;
 * any other architecture, such as a 32-bit process on x86_64 (`int 0x80`), is killed (`SECCOMP_RET_KILL_PROCESS`),
 * and so are x32 calls (numbers with bit 30 set), which would otherwise slip past an x86_64 list.
 *
 * The call numbers come from the kernel's tables: `arch/x86/entry/syscalls/syscall_64.tbl` for x86_64 and
 * `include/uapi/asm-generic/unistd.h` for aarch64 (the same numbers as `/usr/include/x86_64-linux-gnu/asm/unistd_64.h`
 * and `/usr/include/asm-generic/unistd.h` of linux-libc-dev, which `test/seccomp.test.ts` compares them with).
 */

/** `AUDIT_ARCH_X86_64` (`include/uapi/linux/audit.h`): EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE. */
export const AUDIT_ARCH_X86_64 = 0xc000003e;
/** `AUDIT_ARCH_AARCH64`: EM_AARCH64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE. */
export const AUDIT_ARCH_AARCH64 = 0xc00000b7;
/** x86_64's x32 ABI marks its call numbers with this bit (`__X32_SYSCALL_BIT`). */
const X32_SYSCALL_BIT = 0x40000000;

/** `SECCOMP_RET_*` actions (`include/uapi/linux/seccomp.h`). */
export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
const EPERM = 1;
const ENOSYS = 38;

/** Offsets in `struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; }`. */
const DATA_NR = 0;
const DATA_ARCH = 4;
/** The low 32 bits of `args[0]` on a little-endian machine (both architectures here are). */
const DATA_ARG0_LOW = 16;

/** Classic BPF opcodes (`include/uapi/linux/filter.h`). */
const BPF_LD_W_ABS = 0x20;
const BPF_JMP_JA = 0x05;
const BPF_JMP_JEQ_K = 0x15;
const BPF_JMP_JGE_K = 0x35;
const BPF_JMP_JSET_K = 0x45;
const BPF_RET_K = 0x06;

/** `CLONE_NEW*` flags (`include/uapi/linux/sched.h`). */
const CLONE_NEWTIME = 0x00000080;
const CLONE_NEWNS = 0x00020000;
const CLONE_NEWCGROUP = 0x02000000;
const CLONE_NEWUTS = 0x04000000;
const CLONE_NEWIPC = 0x08000000;
const CLONE_NEWUSER = 0x10000000;
const CLONE_NEWPID = 0x20000000;
const CLONE_NEWNET = 0x40000000;
/** Namespace flags of `clone`, whose low byte is the exit signal (so `CLONE_NEWTIME`, 0x80, is not one there). */
export const CLONE_NAMESPACE_FLAGS = (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET) >>> 0;
/** Namespace flags of `unshare`. */
export const UNSHARE_NAMESPACE_FLAGS = (CLONE_NAMESPACE_FLAGS | CLONE_NEWTIME) >>> 0;
/** `personality(0xffffffff)` only reads the persona; `PER_LINUX` (0) is the default one. */
const PERSONALITY_QUERY = 0xffffffff;
const PER_LINUX = 0;

/** What the filter does with one system call. */
export type SyscallAction =
  /** Fails with EPERM. */
  | { kind: 'deny' }
  /** Fails with the given errno (`clone3`: ENOSYS, so that the C library falls back to `clone`). */
  | { kind: 'errno'; errno: number }
  /** Fails with EPERM when the low 32 bits of the first argument share a bit with `mask`; otherwise allowed. */
  | { kind: 'deny-arg0-bits'; mask: number }
  /** Allowed when the low 32 bits of the first argument are one of `values`; otherwise EPERM. */
  | { kind: 'allow-arg0-values'; values: number[] };

export interface SyscallRule {
  name: string;
  action: SyscallAction;
  /** Why a server has no business making it. */
  why: string;
}

const deny = (why: string, ...names: string[]): SyscallRule[] => names.map((name) => ({ name, action: { kind: 'deny' }, why }));

/** The filter's rules, in the order the program tests them. */
export const DENIED_SYSCALLS: readonly SyscallRule[] = [
  ...deny('reads or controls another process', 'ptrace', 'process_vm_readv', 'process_vm_writev', 'kcmp', 'pidfd_getfd'),
  ...deny('changes the mount table', 'mount', 'umount2', 'pivot_root', 'open_tree', 'move_mount', 'fsopen', 'fsconfig', 'fsmount', 'fspick', 'mount_setattr'),
  { name: 'unshare', action: { kind: 'deny-arg0-bits', mask: UNSHARE_NAMESPACE_FLAGS }, why: 'a new namespace (a user namespace gives uid 0 and capabilities in it)' },
  { name: 'clone', action: { kind: 'deny-arg0-bits', mask: CLONE_NAMESPACE_FLAGS }, why: 'a new namespace, as unshare' },
  { name: 'clone3', action: { kind: 'errno', errno: ENOSYS }, why: 'its flags are in memory the filter cannot read; the C library falls back to clone' },
  ...deny('enters another namespace', 'setns'),
  ...deny('loads kernel code', 'init_module', 'finit_module', 'delete_module', 'kexec_load', 'kexec_file_load', 'bpf'),
  ...deny('a large kernel attack surface with no use in a server', 'perf_event_open', 'userfaultfd', 'io_uring_setup', 'io_uring_enter', 'io_uring_register'),
  ...deny('the kernel key store, shared beyond the sandbox', 'keyctl', 'add_key', 'request_key'),
  ...deny('the machine, not the process', 'reboot', 'swapon', 'swapoff', 'acct', 'quotactl', 'quotactl_fd', 'settimeofday', 'clock_settime', 'adjtimex', 'clock_adjtime', 'syslog', 'vhangup', 'fanotify_init'),
  ...deny('opens files by handle, around the mount namespace', 'open_by_handle_at', 'name_to_handle_at'),
  ...deny('hardware I/O ports and segment tables', 'iopl', 'ioperm', 'modify_ldt'),
  ...deny('moves other processes\' memory between NUMA nodes', 'move_pages', 'migrate_pages'),
  { name: 'personality', action: { kind: 'allow-arg0-values', values: [PERSONALITY_QUERY, PER_LINUX] }, why: 'other personas turn off address randomisation or change the ABI' },
  ...deny('obsolete, removed or never implemented', 'uselib', 'ustat', 'sysfs', '_sysctl', 'create_module', 'get_kernel_syms', 'query_module', 'nfsservctl', 'lookup_dcookie'),
];

/**
 * x86_64 call numbers (`arch/x86/entry/syscalls/syscall_64.tbl`, "common" and "64" entries) of the calls in
 * {@link DENIED_SYSCALLS}.
 */
export const X86_64_SYSCALLS: Readonly<Record<string, number>> = {
  ptrace: 101, process_vm_readv: 310, process_vm_writev: 311, kcmp: 312, pidfd_getfd: 438,
  mount: 165, umount2: 166, pivot_root: 155, open_tree: 428, move_mount: 429, fsopen: 430, fsconfig: 431, fsmount: 432, fspick: 433, mount_setattr: 442,
  unshare: 272, clone: 56, clone3: 435, setns: 308,
  init_module: 175, finit_module: 313, delete_module: 176, kexec_load: 246, kexec_file_load: 320, bpf: 321,
  perf_event_open: 298, userfaultfd: 323, io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427,
  keyctl: 250, add_key: 248, request_key: 249,
  reboot: 169, swapon: 167, swapoff: 168, acct: 163, quotactl: 179, quotactl_fd: 443, settimeofday: 164, clock_settime: 227, adjtimex: 159,
  clock_adjtime: 305, syslog: 103, vhangup: 153, fanotify_init: 300,
  open_by_handle_at: 304, name_to_handle_at: 303,
  iopl: 172, ioperm: 173, modify_ldt: 154,
  move_pages: 279, migrate_pages: 256,
  personality: 135,
  uselib: 134, ustat: 136, sysfs: 139, _sysctl: 156, create_module: 174, get_kernel_syms: 177, query_module: 178, nfsservctl: 180, lookup_dcookie: 212,
};

/**
 * aarch64 call numbers (`include/uapi/asm-generic/unistd.h`); the calls aarch64 never had (port I/O, the LDT and the
 * obsolete ones but `nfsservctl` and `lookup_dcookie`) are absent.
 */
export const AARCH64_SYSCALLS: Readonly<Record<string, number>> = {
  ptrace: 117, process_vm_readv: 270, process_vm_writev: 271, kcmp: 272, pidfd_getfd: 438,
  mount: 40, umount2: 39, pivot_root: 41, open_tree: 428, move_mount: 429, fsopen: 430, fsconfig: 431, fsmount: 432, fspick: 433, mount_setattr: 442,
  unshare: 97, clone: 220, clone3: 435, setns: 268,
  init_module: 105, finit_module: 273, delete_module: 106, kexec_load: 104, kexec_file_load: 294, bpf: 280,
  perf_event_open: 241, userfaultfd: 282, io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427,
  keyctl: 219, add_key: 217, request_key: 218,
  reboot: 142, swapon: 224, swapoff: 225, acct: 89, quotactl: 60, quotactl_fd: 443, settimeofday: 170, clock_settime: 112, adjtimex: 171,
  clock_adjtime: 266, syslog: 116, vhangup: 58, fanotify_init: 262,
  open_by_handle_at: 265, name_to_handle_at: 264,
  move_pages: 239, migrate_pages: 238,
  personality: 92,
  nfsservctl: 42, lookup_dcookie: 18,
};

/** One `struct sock_filter`. */
export interface BpfInstruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** An instruction whose jump targets are labels (a conditional jump's false branch defaults to the next one). */
type Draft = { code: number; k: number; jt?: string; jf?: string } | { label: string };

/**
 * Resolves the labels of `drafts` into relative jump offsets.
 * @throws Error when a conditional jump is more than 255 instructions away (classic BPF cannot encode it) or a label
 *   is unknown: a fault of the generator, never of its input.
 */
function assemble(drafts: Draft[]): BpfInstruction[] {
  const at = new Map<string, number>();
  let count = 0;
  for (const d of drafts) {
    if ('label' in d) at.set(d.label, count);
    else count += 1;
  }
  const out: BpfInstruction[] = [];
  for (const d of drafts) {
    if ('label' in d) continue;
    const index = out.length;
    const offset = (label: string | undefined): number => {
      if (label === undefined) return 0;
      const target = at.get(label);
      if (target === undefined || target <= index) throw new Error(`seccomp: no label "${label}" after instruction ${index}`);
      return target - index - 1;
    };
    if (d.code === BPF_JMP_JA) {
      out.push({ code: d.code, jt: 0, jf: 0, k: offset(d.jt) });
      continue;
    }
    const jt = offset(d.jt);
    const jf = offset(d.jf);
    if (jt > 255 || jf > 255) throw new Error(`seccomp: jump of instruction ${index} is too long (${Math.max(jt, jf)})`);
    out.push({ code: d.code, jt, jf, k: d.k >>> 0 });
  }
  return out;
}

const load = (offset: number): Draft => ({ code: BPF_LD_W_ABS, k: offset });
const ret = (action: number): Draft => ({ code: BPF_RET_K, k: action >>> 0 });
const errno = (value: number) => (SECCOMP_RET_ERRNO | (value & 0xffff)) >>> 0;

/**
 * One architecture's section, from label `name`: load the call number, refuse x32 numbers when `x32`, test each rule,
 * allow the rest. Its jumps stay inside it, so each is short.
 */
function section(name: string, numbers: Readonly<Record<string, number>>, rules: readonly SyscallRule[], x32: boolean): Draft[] {
  const allow = `${name}:allow`;
  const out: Draft[] = [{ label: name }, load(DATA_NR)];
  if (x32) out.push({ code: BPF_JMP_JGE_K, k: X32_SYSCALL_BIT, jf: `${name}:native` }, ret(SECCOMP_RET_KILL_PROCESS), { label: `${name}:native` });
  rules.forEach((rule, i) => {
    const nr = numbers[rule.name];
    if (nr === undefined) return;
    const next = `${name}:${i}:next`;
    const action = rule.action;
    switch (action.kind) {
      case 'deny':
      case 'errno':
        out.push({ code: BPF_JMP_JEQ_K, k: nr, jf: next }, ret(errno(action.kind === 'deny' ? EPERM : action.errno)));
        break;
      case 'deny-arg0-bits':
        // A decision here is final, so A may be overwritten by the argument.
        out.push({ code: BPF_JMP_JEQ_K, k: nr, jf: next }, load(DATA_ARG0_LOW), { code: BPF_JMP_JSET_K, k: action.mask, jf: allow }, ret(errno(EPERM)));
        break;
      case 'allow-arg0-values':
        out.push({ code: BPF_JMP_JEQ_K, k: nr, jf: next }, load(DATA_ARG0_LOW));
        for (const value of action.values) out.push({ code: BPF_JMP_JEQ_K, k: value, jt: allow });
        out.push(ret(errno(EPERM)));
        break;
    }
    out.push({ label: next });
  });
  out.push({ label: allow }, ret(SECCOMP_RET_ALLOW));
  return out;
}

/**
 * The filter as `struct sock_filter` instructions: the architecture check, the x86_64 section, the aarch64 section.
 * @param rules the calls to refuse. @default {@link DENIED_SYSCALLS}
 */
export function seccompProgram(rules: readonly SyscallRule[] = DENIED_SYSCALLS): BpfInstruction[] {
  return assemble([
    load(DATA_ARCH),
    { code: BPF_JMP_JEQ_K, k: AUDIT_ARCH_X86_64, jt: 'x86_64' },
    { code: BPF_JMP_JEQ_K, k: AUDIT_ARCH_AARCH64, jf: 'foreign' },
    { code: BPF_JMP_JA, k: 0, jt: 'aarch64' },
    { label: 'foreign' },
    ret(SECCOMP_RET_KILL_PROCESS),
    ...section('x86_64', X86_64_SYSCALLS, rules, true),
    ...section('aarch64', AARCH64_SYSCALLS, rules, false),
  ]);
}

/**
 * The filter in the binary form `--seccomp` reads (what libseccomp's `seccomp_export_bpf` writes): 8 bytes per
 * instruction, `u16 code, u8 jt, u8 jf, u32 k`, little-endian (both architectures are).
 */
export function seccompFilterBytes(rules: readonly SyscallRule[] = DENIED_SYSCALLS): Buffer {
  const program = seccompProgram(rules);
  const out = Buffer.alloc(program.length * 8);
  program.forEach((insn, i) => {
    out.writeUInt16LE(insn.code, i * 8);
    out.writeUInt8(insn.jt, i * 8 + 2);
    out.writeUInt8(insn.jf, i * 8 + 3);
    out.writeUInt32LE(insn.k, i * 8 + 4);
  });
  return out;
}
