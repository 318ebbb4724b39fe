/**
 * Recognising Rekognition's stored-video containers (MPEG-4, QuickTime MOV, AVI) by their first
 * bytes: S3 keys need no file extension, so the content decides, as it does for the service.
 */
export type VideoContainer = 'mp4' | 'mov' | 'avi';

/** How many leading bytes `sniffVideoContainer` needs. */
export const CONTAINER_HEADER_BYTES = 12;

/** Top-level ISO BMFF / QuickTime atoms that can open a file. */
const OPENING_ATOMS = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot']);

const ascii = (bytes: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...bytes.subarray(start, end));

export function sniffVideoContainer(header: Uint8Array): VideoContainer | undefined {
  if (header.length < CONTAINER_HEADER_BYTES) return undefined;
  if (ascii(header, 0, 4) === 'RIFF' && ascii(header, 8, 12) === 'AVI ') return 'avi';
  const atom = ascii(header, 4, 8);
  if (!OPENING_ATOMS.has(atom)) return undefined;
  if (atom !== 'ftyp') return 'mov';
  return ascii(header, 8, 12) === 'qt  ' ? 'mov' : 'mp4';
}
