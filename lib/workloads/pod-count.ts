/** A number of pods, absolute or as a percentage of the desired replicas (maxSurge, maxUnavailable). */
export class PodCount {
  /** A fixed number of pods. */
  public static absolute(pods: number): PodCount {
    return new PodCount(pods, false);
  }

  /** A percentage of the desired replicas, rounded as Kubernetes rounds it for the field. */
  public static percent(percent: number): PodCount {
    return new PodCount(percent, true);
  }

  /** The number, or the percentage. */
  public readonly value: number;
  /** Whether `value` is a percentage. */
  public readonly isPercent: boolean;

  private constructor(value: number, isPercent: boolean) {
    this.value = value;
    this.isPercent = isPercent;
  }

  /** The IntOrString the API takes: `1` or `"25%"`. */
  public toJson(): number | string {
    return this.isPercent ? `${this.value}%` : this.value;
  }

  /** Whether it is zero pods. */
  public isZero(): boolean {
    return this.value === 0;
  }
}
