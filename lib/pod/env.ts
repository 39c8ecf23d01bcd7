import type * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { namedObject } from './kplus';

/** Where an environment variable's value comes from. */
export enum EnvSource {
  /** A literal value in the manifest. */
  LITERAL = 'literal',
  /** A key of a ConfigMap. */
  CONFIG_MAP = 'configMap',
  /** A key of a Secret declared by the system. */
  SECRET = 'secret',
}

/** The value of an environment variable, created with `EnvVar.fromValue()`, `fromConfigMap()` or `fromSecret()`. */
export class EnvVar {
  /** A literal value. Never put credentials here: use `fromSecret`. */
  public static fromValue(value: string): EnvVar {
    return new EnvVar(EnvSource.LITERAL, value);
  }

  /** A key of a ConfigMap in the same namespace, given by name or as a cdk8s-plus `ConfigMap`. */
  public static fromConfigMap(configMap: string | kplus.IConfigMap, key: string): EnvVar {
    return new EnvVar(EnvSource.CONFIG_MAP, undefined, configMap, key);
  }

  /**
   * A key of a Secret in the same namespace, given by name or as a cdk8s-plus `Secret`. The Secret
   * must be listed in the system's `secrets`, unless it is a cdk8s-plus Secret the app creates in
   * the system's namespace.
   */
  public static fromSecret(secret: string | kplus.ISecret, key: string): EnvVar {
    return new EnvVar(EnvSource.SECRET, undefined, secret, key);
  }

  /** Where the value comes from. */
  public readonly source: EnvSource;
  /** The literal value. */
  public readonly value?: string;
  /** Name of the ConfigMap or Secret. */
  public readonly objectName?: string;
  /** The cdk8s-plus ConfigMap or Secret, when one was given instead of a name. */
  public readonly object?: IConstruct;
  /** Key within the ConfigMap or Secret. */
  public readonly key?: string;

  private constructor(
    source: EnvSource,
    value?: string,
    object?: string | kplus.IConfigMap | kplus.ISecret,
    key?: string,
  ) {
    this.source = source;
    this.value = value;
    const named = object === undefined ? undefined : namedObject(object);
    this.objectName = named?.name;
    this.object = named?.object;
    this.key = key;
  }

  /** The env var `name` with this value, as the API takes it. @internal */
  public _toEnvVar(name: string): { [key: string]: unknown } {
    switch (this.source) {
      case EnvSource.CONFIG_MAP:
        return { name, valueFrom: { configMapKeyRef: { name: this.objectName, key: this.key } } };
      case EnvSource.SECRET:
        return { name, valueFrom: { secretKeyRef: { name: this.objectName, key: this.key } } };
      default:
        return { name, value: this.value };
    }
  }
}

/** What `envFrom` reads: every key of a ConfigMap or a Secret. */
export enum EnvFromSource {
  /** A ConfigMap in the same namespace. */
  CONFIG_MAP = 'configMap',
  /** A Secret listed in the system's `secrets`. */
  SECRET = 'secret',
}

/** Every key of a ConfigMap or Secret as env vars, created with `EnvFrom.configMap()` or `EnvFrom.secret()`. */
export class EnvFrom {
  /** Every key of a ConfigMap (by name or a cdk8s-plus `ConfigMap`), optionally prefixed. */
  public static configMap(configMap: string | kplus.IConfigMap, prefix?: string): EnvFrom {
    return new EnvFrom(EnvFromSource.CONFIG_MAP, configMap, prefix);
  }

  /**
   * Every key of a Secret (by name or a cdk8s-plus `Secret`), optionally prefixed; listed in the
   * system's `secrets` unless the app creates it in the system's namespace.
   */
  public static secret(secret: string | kplus.ISecret, prefix?: string): EnvFrom {
    return new EnvFrom(EnvFromSource.SECRET, secret, prefix);
  }

  /** Where the keys come from. */
  public readonly source: EnvFromSource;
  /** Name of the ConfigMap or Secret. */
  public readonly objectName: string;
  /** The cdk8s-plus ConfigMap or Secret, when one was given instead of a name. */
  public readonly object?: IConstruct;
  /** Prefix added to every key. */
  public readonly prefix?: string;

  private constructor(source: EnvFromSource, object: string | kplus.IConfigMap | kplus.ISecret, prefix?: string) {
    this.source = source;
    const named = namedObject(object);
    this.objectName = named.name;
    this.object = named.object;
    this.prefix = prefix;
  }

  /** The `envFrom` entry as the API takes it. @internal */
  public _toEnvFromSource(): { [key: string]: unknown } {
    const ref = { name: this.objectName };
    return {
      ...(this.source === EnvFromSource.CONFIG_MAP ? { configMapRef: ref } : { secretRef: ref }),
      ...(this.prefix ? { prefix: this.prefix } : {}),
    };
  }
}
