import type { CopyInstruction, DockerfileModel, FromInstruction, RunInstruction, Stage } from '../model/types.js';

/** A RUN, COPY or ADD: one filesystem layer of an image. */
export interface LayerStep {
  /** Position among the image's own steps (after its parent image's). */
  index: number;
  instruction: RunInstruction | CopyInstruction;
  stage: Stage;
  /** The instruction as the builder's cache sees it: keyword, sorted flags, arguments, whitespace collapsed. */
  text: string;
  /**
   * What the step does, wherever it runs: `text`, plus for COPY/ADD the source bytes in the build
   * context (sources that cannot be read make the key unique to this Dockerfile, since equal bytes
   * cannot be shown), plus for `COPY --from=<stage>` / `RUN --mount=from=<stage>` that stage's steps.
   */
  key: string;
  /** The settings the builder caches the step with: ENV/ARG, WORKDIR and USER for a RUN; WORKDIR for a relative COPY. */
  configKey: string;
  /** Hash of the previous chain key, `key` and `configKey`: equal exactly when the layer is shared. */
  chainKey: string;
  /** For COPY/ADD of local sources: whether every source was found and hashed. */
  contextHashed: boolean | null;
  /** True for steps that come from the parent image's ONBUILD triggers. */
  inherited: boolean;
}

export interface ImageNode {
  name: string;
  /** Absolute path of the Dockerfile. */
  file: string;
  model: DockerfileModel;
  /** The stage that produces the image (the last one). */
  stage: Stage;
  /** The FROM at the root of the image's stage chain: what the image builds on. */
  from: FromInstruction;
  /** That FROM's reference, with ARG defaults substituted. */
  parentRef: string;
  parent: ImageNode | null;
  children: ImageNode[];
  depth: number;
  /** The image's own layer steps in build order (its parent's are not repeated). */
  steps: LayerStep[];
  /** Chain key of what the image builds on: the parent's last step, or the external base. */
  baseChainKey: string;
}

export interface ExternalBase {
  ref: string;
  images: ImageNode[];
}

export interface ImageGraph {
  images: ImageNode[];
  byName: ReadonlyMap<string, ImageNode>;
  roots: ImageNode[];
  bases: ExternalBase[];
}

/**
 * How images built in the repository are named, so FROM lines can find them. By default (the Kolla
 * convention) an image is named after its directory, and a FROM whose last path component, without
 * tag and without one of `prefixes`, names a repository image refers to it. `images` maps image
 * references to Dockerfiles (absolute paths) explicitly, as a config file or a compose file gives them.
 */
export interface NamingOptions {
  prefixes?: string[];
  images?: Record<string, string>;
}
