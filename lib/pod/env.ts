/** Where an environment variable's value comes from. */
export enum EnvSource {
  /** A literal value in the manifest. */
  LITERAL = 'literal',
  /** A key of a ConfigMap. */
  CONFIG_MAP = 'configMap',
  /** A key of a Secret declared by the system. */
  SECRET = 'secret',
}

/** The value of an environment variable, created with `EnvValue.fromValue()`, `fromConfigMap()` or `fromSecret()`. */
export class EnvValue {
  /** A literal value. Never put credentials here: use `fromSecret`. */
  public static fromValue(value: string): EnvValue {
    return new EnvValue(EnvSource.LITERAL, value);
  }

  /** A key of a ConfigMap in the same namespace. */
  public static fromConfigMap(configMapName: string, key: string): EnvValue {
    return new EnvValue(EnvSource.CONFIG_MAP, undefined, configMapName, key);
  }

  /** A key of a Secret in the same namespace; the Secret must be listed in the system's `secrets`. */
  public static fromSecret(secretName: string, key: string): EnvValue {
    return new EnvValue(EnvSource.SECRET, undefined, secretName, key);
  }

  /** Where the value comes from. */
  public readonly source: EnvSource;
  /** The literal value. */
  public readonly value?: string;
  /** Name of the ConfigMap or Secret. */
  public readonly objectName?: string;
  /** Key within the ConfigMap or Secret. */
  public readonly key?: string;

  private constructor(source: EnvSource, value?: string, objectName?: string, key?: string) {
    this.source = source;
    this.value = value;
    this.objectName = objectName;
    this.key = key;
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
  /** Every key of ConfigMap `name`, optionally prefixed. */
  public static configMap(name: string, prefix?: string): EnvFrom {
    return new EnvFrom(EnvFromSource.CONFIG_MAP, name, prefix);
  }

  /** Every key of Secret `name` (listed in the system's `secrets`), optionally prefixed. */
  public static secret(name: string, prefix?: string): EnvFrom {
    return new EnvFrom(EnvFromSource.SECRET, name, prefix);
  }

  /** Where the keys come from. */
  public readonly source: EnvFromSource;
  /** Name of the ConfigMap or Secret. */
  public readonly objectName: string;
  /** Prefix added to every key. */
  public readonly prefix?: string;

  private constructor(source: EnvFromSource, objectName: string, prefix?: string) {
    this.source = source;
    this.objectName = objectName;
    this.prefix = prefix;
  }
}

