import { strict as assert } from 'assert';
import { parsePeersFlags } from '../bench/peers-flags';

describe('bench peers flags (bench/peers-flags.ts)', () => {
  it('reads the flags among the runner\'s positionals, with the defaults for those not given', () => {
    assert.deepEqual(parsePeersFlags(['peers', '3', '24', '0', '24', '64']), { timeoutSeconds: undefined, warmup: true, skip: [], resume: false, replace: false });
    assert.deepEqual(parsePeersFlags(['peers', '3', '--warmup=0', '--timeout=3600', '--resume', '--skip=qkc default,qiskit-ml', '--replace']),
      { timeoutSeconds: 3600, warmup: false, skip: ['qkc default', 'qiskit-ml'], resume: true, replace: true });
  });

  it('refuses a misspelt flag and bad values, naming the flag and what came', () => {
    assert.throws(() => parsePeersFlags(['peers', '--resme']), /peers: .*--resme.*expected --timeout=SECONDS/);
    assert.throws(() => parsePeersFlags(['--timeout=soon']), /peers\(--timeout\): expected a positive number of seconds, got "soon"/);
    assert.throws(() => parsePeersFlags(['--timeout=0']), /peers\(--timeout\)/);
    assert.throws(() => parsePeersFlags(['--warmup=2']), /peers\(--warmup\): expected 0 or 1, got "2"/);
  });
});
