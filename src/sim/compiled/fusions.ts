/**
 * The switch for the compiled path's fused passes (issue 14: the hybrid's training step), which keep the
 * float32 bits of the tensor-op path they replace. On by default; tests switch them off to compare the two
 * paths bit for bit.
 */
let fused = true;

/** Turns the compiled path's fused host passes on (default) or off (the tensor-op path); returns the previous setting. */
export function useCompiledFusions(on = true): boolean {
  const before = fused;
  fused = on;
  return before;
}

/** Whether the compiled path's fused host passes are on. */
export function compiledFusions(): boolean {
  return fused;
}
