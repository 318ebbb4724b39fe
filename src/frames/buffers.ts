/**
 * A free list of frame-sized buffers. Frames travel to a worker thread and back by transfer, so in
 * steady state the pipeline allocates no pixel memory per frame: a buffer returned by a worker is
 * handed to ffmpeg's reader for the next frame.
 */
export class FrameBufferPool {
  private readonly free: Uint8Array[] = [];

  constructor(readonly frameBytes: number) {}

  take(): Uint8Array {
    return this.free.pop() ?? new Uint8Array(this.frameBytes);
  }

  give(buffer: Uint8Array): void {
    if (buffer.byteLength === this.frameBytes) this.free.push(buffer);
  }
}
