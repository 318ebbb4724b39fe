/**
 * Rewriting the frame size an H.264 stream declares, to make a video whose header claims a size
 * no real encoder would produce (ffmpeg refuses to encode 16384x16384 at all). Only the sequence
 * parameter set changes; the pictures stay as encoded.
 */

/** Bit reader over an RBSP (emulation prevention bytes already removed), as H.264 7.2 reads it. */
class BitReader {
  #position = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get position(): number {
    return this.#position;
  }

  bit(): number {
    const byte = this.bytes[this.#position >> 3];
    if (byte === undefined) throw new RangeError('read past the end of the parameter set');
    const value = (byte >> (7 - (this.#position & 7))) & 1;
    this.#position += 1;
    return value;
  }

  bits(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i += 1) value = value * 2 + this.bit();
    return value;
  }

  /** ue(v): Exp-Golomb coded unsigned integer. */
  unsignedExpGolomb(): number {
    let leadingZeros = 0;
    while (this.bit() === 0) leadingZeros += 1;
    return 2 ** leadingZeros - 1 + this.bits(leadingZeros);
  }
}

class BitWriter {
  readonly #bits: number[] = [];

  bit(value: number): void {
    this.#bits.push(value & 1);
  }

  bits(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i -= 1) this.bit(Math.floor(value / 2 ** i));
  }

  unsignedExpGolomb(value: number): void {
    const coded = value + 1;
    const length = Math.floor(Math.log2(coded));
    this.bits(0, length);
    this.bits(coded, length + 1);
  }

  copy(reader: BitReader, count: number): void {
    for (let i = 0; i < count; i += 1) this.bit(reader.bit());
  }

  toBytes(): Uint8Array {
    const bytes = new Uint8Array(Math.ceil(this.#bits.length / 8));
    this.#bits.forEach((bit, index) => {
      bytes[index >> 3]! |= bit << (7 - (index & 7));
    });
    return bytes;
  }
}

/** NAL payload -> RBSP: drops the 0x03 of every 00 00 03 sequence. */
function toRbsp(payload: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < payload.length; i += 1) {
    if (i >= 2 && payload[i] === 3 && payload[i - 1] === 0 && payload[i - 2] === 0 && out.at(-1) === 0 && out.at(-2) === 0) continue;
    out.push(payload[i] as number);
  }
  return Uint8Array.from(out);
}

/** RBSP -> NAL payload: inserts 0x03 wherever two zero bytes precede a byte <= 3. */
function fromRbsp(rbsp: Uint8Array): Uint8Array {
  const out: number[] = [];
  let zeros = 0;
  for (const byte of rbsp) {
    if (zeros >= 2 && byte <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(byte);
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return Uint8Array.from(out);
}

/**
 * A Baseline-profile SPS (profile_idc 66, as `-profile:v baseline` writes it) with its picture size
 * replaced by `width` x `height` (multiples of 16) and its cropping removed; everything after the
 * cropping fields (VUI, trailing bits) is copied bit for bit.
 */
export function spsWithFrameSize(sps: Uint8Array, width: number, height: number): Uint8Array {
  const [header, profile] = sps;
  if (header === undefined || (header & 0x1f) !== 7) throw new Error('not a sequence parameter set');
  if (profile !== 66) throw new Error(`only Baseline SPSs are rewritten, got profile_idc ${profile}`);
  const reader = new BitReader(toRbsp(sps.subarray(1)));
  const writer = new BitWriter();
  writer.copy(reader, 24); // profile_idc, constraint flags, level_idc
  writer.unsignedExpGolomb(reader.unsignedExpGolomb()); // seq_parameter_set_id
  writer.unsignedExpGolomb(reader.unsignedExpGolomb()); // log2_max_frame_num_minus4
  const pictureOrderCountType = reader.unsignedExpGolomb();
  writer.unsignedExpGolomb(pictureOrderCountType);
  if (pictureOrderCountType === 0) writer.unsignedExpGolomb(reader.unsignedExpGolomb());
  else if (pictureOrderCountType === 1) throw new Error('pic_order_cnt_type 1 is not rewritten');
  writer.unsignedExpGolomb(reader.unsignedExpGolomb()); // max_num_ref_frames
  writer.copy(reader, 1); // gaps_in_frame_num_value_allowed_flag
  reader.unsignedExpGolomb();
  reader.unsignedExpGolomb();
  writer.unsignedExpGolomb(width / 16 - 1);
  writer.unsignedExpGolomb(height / 16 - 1);
  const frameMbsOnly = reader.bit();
  if (frameMbsOnly !== 1) throw new Error('interlaced SPSs are not rewritten');
  writer.bit(frameMbsOnly);
  writer.copy(reader, 1); // direct_8x8_inference_flag
  if (reader.bit() === 1) for (let i = 0; i < 4; i += 1) reader.unsignedExpGolomb();
  writer.bit(0); // frame_cropping_flag
  const rbspBits = toRbsp(sps.subarray(1)).length * 8;
  writer.copy(reader, rbspBits - reader.position);
  return Uint8Array.from([header, ...fromRbsp(trimTrailingZeroBytes(writer.toBytes()))]);
}

const trimTrailingZeroBytes = (bytes: Uint8Array): Uint8Array => {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end -= 1;
  return bytes.subarray(0, end);
};

/** Start offsets of the NAL units of an Annex B byte stream (just after each 00 00 01). */
function nalUnitStarts(stream: Uint8Array): number[] {
  const starts: number[] = [];
  for (let i = 0; i + 2 < stream.length; i += 1) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) starts.push(i + 3);
  }
  return starts;
}

/** An Annex B stream whose every SPS declares `width` x `height`. */
export function annexBWithFrameSize(stream: Uint8Array, width: number, height: number): Uint8Array {
  const starts = nalUnitStarts(stream);
  const parts: Uint8Array[] = [];
  let copiedUpTo = 0;
  starts.forEach((start, index) => {
    if (((stream[start] ?? 0) & 0x1f) !== 7) return;
    const next = starts[index + 1];
    // The next unit's start code (and a 4-byte start code's extra zero) is not part of this unit.
    let end = next === undefined ? stream.length : next - 3;
    while (end > start && stream[end - 1] === 0) end -= 1;
    parts.push(stream.subarray(copiedUpTo, start), spsWithFrameSize(stream.subarray(start, end), width, height));
    copiedUpTo = end;
  });
  parts.push(stream.subarray(copiedUpTo));
  return Buffer.concat(parts);
}
