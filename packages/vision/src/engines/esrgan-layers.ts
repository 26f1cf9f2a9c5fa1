import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../runtime/tf.js';

type LayerArgs = ConstructorParameters<typeof TF.layers.Layer>[0];
type Shape = Array<number | null>;

type LayerClass = new (args?: LayerArgs) => TF.layers.Layer;

interface EsrganLayers {
  MultiplyBeta: LayerClass;
  PixelShuffle2x: LayerClass;
}

const registered = new WeakMap<object, EsrganLayers>();

function single(inputs: TF.Tensor | TF.Tensor[]): TF.Tensor {
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

/**
 * The two custom Keras layers used by the ESRGAN (RRDN) models of UpscalerJS:
 * MultiplyBeta scales a residual branch by beta (0.2), PixelShuffle2x moves
 * groups of 4 channels into 2x2 spatial blocks (depth-to-space). Registered
 * with tfjs serialization so tf.loadLayersModel can rebuild those models.
 */
export function registerEsrganLayers(tf: Tfjs): EsrganLayers {
  const existing = registered.get(tf);
  if (existing) return existing;

  class MultiplyBeta extends tf.layers.Layer {
    static className = 'MultiplyBeta';
    readonly beta: number;

    constructor(args: LayerArgs & { beta?: number } = {}) {
      const { beta, ...rest } = args;
      super(rest);
      this.beta = beta ?? 0.2;
    }

    override call(inputs: TF.Tensor | TF.Tensor[]): TF.Tensor {
      return tf.mul(single(inputs), this.beta);
    }

    override getConfig(): TF.serialization.ConfigDict {
      return { ...super.getConfig(), beta: this.beta };
    }
  }

  class PixelShuffle2x extends tf.layers.Layer {
    static className = 'PixelShuffle2x';
    static readonly scale = 2;

    constructor(args: LayerArgs = {}) {
      super(args);
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
      const [batch, height, width, channels] = shape;
      const s = PixelShuffle2x.scale;
      return [
        batch ?? null,
        height == null ? null : height * s,
        width == null ? null : width * s,
        channels == null ? null : channels / (s * s),
      ];
    }

    override call(inputs: TF.Tensor | TF.Tensor[]): TF.Tensor {
      return tf.depthToSpace(single(inputs) as TF.Tensor4D, PixelShuffle2x.scale, 'NHWC');
    }
  }

  tf.serialization.registerClass(MultiplyBeta);
  tf.serialization.registerClass(PixelShuffle2x);
  const layers = { MultiplyBeta, PixelShuffle2x };
  registered.set(tf, layers);
  return layers;
}
