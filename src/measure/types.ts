/** How a built image can be given: an OCI image layout, an OCI archive, or a `docker save` archive. */
export const IMAGE_SOURCE_KINDS = ['oci', 'oci-archive', 'docker-archive'] as const;

/** One filesystem layer of a measured image, in build order. */
export interface MeasuredLayer {
  diffId: string;
  digest: string;
  chainId: string;
  compressedSize: number;
  uncompressedSize: number;
  /** History entry that produced it (created_by), and the instruction it maps to when known. */
  createdBy: string | null;
  instruction: { keyword: string; text: string } | null;
  /** Bytes of files in this layer that a later layer of the same image overwrites or deletes. */
  shadowedBytes: number;
  /** Whiteouts (deletions) this layer makes, and the bytes they hide in lower layers. */
  whiteouts: number;
  hiddenBytes: number;
}

export interface MeasuredImage {
  ref: string;
  /** Image name as the family names it: the last path component of the ref without tag. */
  name: string;
  configDigest: string;
  layers: MeasuredLayer[];
  /** Sum of compressed sizes. */
  compressedSize: number;
  uncompressedSize: number;
}

export interface MeasuredSet {
  source: string;
  images: MeasuredImage[];
  /** chainId -> images that have the layer (their `ref`s), for layers that two or more images have. */
  sharedLayers: Map<string, string[]>;
  /** What a registry stores for the set: each distinct layer blob (by digest) once. */
  uniqueCompressedBytes: number;
  /** The images' compressed sizes added up, as if each stood alone. */
  totalCompressedBytes: number;
}

/** An image source that cannot be read: names the file (or archive member) at fault. */
export class ImageReadError extends Error {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = 'ImageReadError';
    this.file = file;
  }
}
