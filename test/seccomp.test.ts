/**
 * The sandbox's seccomp filter (`crawler/sandbox/seccomp.ts`): its call numbers against the kernel headers of this
 * machine, and its program run by a classic BPF interpreter written here for both architectures (the kernel itself
 * runs it in `test/sandbox.test.ts`, on this machine's architecture).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AARCH64_SYSCALLS, AUDIT_ARCH_AARCH64, AUDIT_ARCH_X86_64, DENIED_SYSCALLS, SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, SECCOMP_RET_KILL_PROCESS,
  seccompFilterBytes, seccompProgram, X86_64_SYSCALLS, type BpfInstruction,
} from '../crawler/sandbox/seccomp.ts';

/** Runs `program` on a `struct seccomp_data` as the kernel's classic BPF interpreter does (loads, jumps, returns). */
function runFilter(program: BpfInstruction[], data: { nr: number; arch: number; args?: number[] }): number {
  const word = (offset: number): number => {
    if (offset === 0) return data.nr >>> 0;
    if (offset === 4) return data.arch >>> 0;
    const arg = (offset - 16) / 8;
    if (Number.isInteger(arg) && arg >= 0 && arg < 6) return (data.args?.[arg] ?? 0) >>> 0;
    throw new Error(`load at ${offset}`);
  };
  let a = 0;
  for (let pc = 0; pc < program.length; ) {
    const { code, jt, jf, k } = program[pc]!;
    switch (code) {
      case 0x20:
        a = word(k);
        pc += 1;
        break;
      case 0x05:
        pc += 1 + k;
        break;
      case 0x15:
        pc += 1 + (a === k ? jt : jf);
        break;
      case 0x35:
        pc += 1 + (a >= k ? jt : jf);
        break;
      case 0x45:
        pc += 1 + ((a & k) !== 0 ? jt : jf);
        break;
      case 0x06:
        return k;
      default:
        throw new Error(`opcode ${code} at ${pc}`);
    }
  }
  throw new Error('fell off the end of the program');
}

const EPERM = (SECCOMP_RET_ERRNO | 1) >>> 0;
const ENOSYS = (SECCOMP_RET_ERRNO | 38) >>> 0;
const program = seccompProgram();

/** `#define __NR_<name> <n>` lines of a kernel header. */
function headerNumbers(file: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [, name, nr] of readFileSync(file, 'utf8').matchAll(/^#define __NR_(\w+)\s+(\d+)\s*$/gm)) out.set(name!, Number(nr));
  return out;
}

describe('seccomp filter', () => {
  it('names every denied call on x86_64, and on aarch64 those it has', () => {
    for (const rule of DENIED_SYSCALLS) expect(X86_64_SYSCALLS[rule.name], rule.name).toBeTypeOf('number');
    const absentOnArm = ['iopl', 'ioperm', 'modify_ldt', 'uselib', 'ustat', 'sysfs', '_sysctl', 'create_module', 'get_kernel_syms', 'query_module'];
    for (const rule of DENIED_SYSCALLS) if (!absentOnArm.includes(rule.name)) expect(AARCH64_SYSCALLS[rule.name], rule.name).toBeTypeOf('number');
  });

  const x86Header = '/usr/include/x86_64-linux-gnu/asm/unistd_64.h';
  it.runIf(existsSync(x86Header))('uses the call numbers of the kernel headers (x86_64)', () => {
    const header = headerNumbers(x86Header);
    for (const [name, nr] of Object.entries(X86_64_SYSCALLS)) expect([name, header.get(name)]).toEqual([name, nr]);
  });

  const genericHeader = '/usr/include/asm-generic/unistd.h';
  it.runIf(existsSync(genericHeader))('uses the call numbers of the kernel headers (aarch64, asm-generic)', () => {
    const header = headerNumbers(genericHeader);
    for (const [name, nr] of Object.entries(AARCH64_SYSCALLS)) expect([name, header.get(name)]).toEqual([name, nr]);
  });

  for (const [arch, archValue, numbers] of [['x86_64', AUDIT_ARCH_X86_64, X86_64_SYSCALLS], ['aarch64', AUDIT_ARCH_AARCH64, AARCH64_SYSCALLS]] as const) {
    it(`refuses each denied call with EPERM and allows the rest (${arch})`, () => {
      const denied = new Set(Object.values(numbers));
      for (const rule of DENIED_SYSCALLS) {
        const nr = numbers[rule.name];
        if (nr === undefined || rule.action.kind !== 'deny') continue;
        expect([rule.name, runFilter(program, { nr, arch: archValue })]).toEqual([rule.name, EPERM]);
      }
      for (let nr = 0; nr < 460; nr += 1) {
        if (!denied.has(nr)) expect([nr, runFilter(program, { nr, arch: archValue })]).toEqual([nr, SECCOMP_RET_ALLOW]);
      }
    });

    it(`reads the flags of unshare, clone and personality, and answers clone3 with ENOSYS (${arch})`, () => {
      const call = (name: string, arg0: number) => runFilter(program, { nr: numbers[name]!, arch: archValue, args: [arg0] });
      expect(call('unshare', 0x10000000)).toBe(EPERM); // CLONE_NEWUSER
      expect(call('unshare', 0x00020000 | 0x400)).toBe(EPERM); // CLONE_NEWNS | CLONE_FILES
      expect(call('unshare', 0x80)).toBe(EPERM); // CLONE_NEWTIME
      expect(call('unshare', 0x400)).toBe(SECCOMP_RET_ALLOW); // CLONE_FILES
      // A thread (CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID) and fork (SIGCHLD).
      expect(call('clone', 0x3d0f00)).toBe(SECCOMP_RET_ALLOW);
      expect(call('clone', 17)).toBe(SECCOMP_RET_ALLOW);
      expect(call('clone', 0x4000 | 0x100 | 17)).toBe(SECCOMP_RET_ALLOW); // vfork, as posix_spawn
      expect(call('clone', 0x20000000 | 17)).toBe(EPERM); // CLONE_NEWPID
      expect(call('clone', 0x10000000 | 17)).toBe(EPERM); // CLONE_NEWUSER
      expect(call('clone3', 0)).toBe(ENOSYS);
      expect(call('personality', 0xffffffff)).toBe(SECCOMP_RET_ALLOW);
      expect(call('personality', 0)).toBe(SECCOMP_RET_ALLOW);
      expect(call('personality', 0x0040000)).toBe(EPERM); // ADDR_NO_RANDOMIZE
    });
  }

  it('kills a process of another architecture or the x32 ABI', () => {
    expect(runFilter(program, { nr: 26, arch: 0x40000003 })).toBe(SECCOMP_RET_KILL_PROCESS); // i386 (int 0x80 on x86_64): ptrace is 26 there
    expect(runFilter(program, { nr: 0x40000000 + 101, arch: AUDIT_ARCH_X86_64 })).toBe(SECCOMP_RET_KILL_PROCESS);
    expect(runFilter(program, { nr: 0x40000000, arch: AUDIT_ARCH_X86_64 })).toBe(SECCOMP_RET_KILL_PROCESS);
  });

  it('encodes 8 little-endian bytes per instruction', () => {
    const bytes = seccompFilterBytes();
    expect(bytes.length).toBe(program.length * 8);
    expect(program.length).toBeLessThan(4096); // BPF_MAXINSNS
    expect([bytes.readUInt16LE(0), bytes[2], bytes[3], bytes.readUInt32LE(4)]).toEqual([0x20, 0, 0, 4]); // ld [arch]
    const last = program.at(-1)!;
    expect(bytes.readUInt32LE(bytes.length - 4)).toBe(last.k);
  });
});
