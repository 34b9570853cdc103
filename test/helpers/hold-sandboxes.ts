/**
 * A crawler process in miniature, for `test/host-uid.test.ts`: starts `argv[2]` sandboxes (each running `sleep`), then
 * prints one JSON line with the host uid each runs under (`/proc/<pid>/status`, once bwrap runs), and keeps them until
 * its stdin closes. Run with `node --import tsx`.
 */
import { readFileSync } from 'node:fs';
import { killSandboxed, spawnSandboxed, type SandboxedProcess } from '../../crawler/sandbox.ts';

const count = Number(process.argv[2] ?? 3);
const packageRoot = process.argv[3] ?? '/usr/share';

function realUid(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    if (!/^Name:\s+bwrap$/m.test(status)) return null;
    return Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
  } catch {
    return null;
  }
}

const children: SandboxedProcess[] = [];
for (let i = 0; i < count; i += 1) children.push(spawnSandboxed({ packageRoot, command: ['/usr/bin/sleep', '60'] }));
const uids: number[] = [];
for (const child of children) {
  let uid: number | null = null;
  for (let tries = 0; uid === null && tries < 200; tries += 1) {
    uid = realUid(child.pid!);
    if (uid === null) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  uids.push(uid ?? -1);
}
process.stdout.write(`${JSON.stringify(uids)}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  for (const child of children) killSandboxed(child);
  setTimeout(() => process.exit(0), 500);
});
