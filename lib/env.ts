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
