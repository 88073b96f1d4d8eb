import { assertEquals, assertThrows } from "@app/lib/assert";
import {
  describe,
  mean,
  median,
  outliers,
  percentile,
  stdDev,
  trend,
  variance,
} from "./statistics.ts";

// Float arithmetic on non-dyadic fractions (0.9 * 7) is exact only to ~1e-15.
function assertClose(actual: number, expected: number, message?: string) {
  if (Math.abs(actual - expected) > 1e-9) {
    throw new Error(`${message ?? "value"}: expected ${expected}, got ${actual}`);
  }
}

const SAMPLE = [2, 4, 4, 4, 5, 5, 7, 9];

Deno.test("[api-agent] statistics: mean, population variance and standard deviation", () => {
  assertEquals(mean(SAMPLE), 5);
  // Squared deviations 9+1+1+1+0+0+4+16 = 32, over n = 8 (population): 4.
  assertEquals(variance(SAMPLE), 4);
  assertEquals(stdDev(SAMPLE), 2);
  assertEquals(stdDev([1, 3]), 1);
});

Deno.test("[api-agent] statistics: median of odd and even counts ignores input order", () => {
  assertEquals(median([3, 1, 2]), 2);
  assertEquals(median([4, 1, 3, 2]), 2.5);
  assertEquals(median([7]), 7);
});

Deno.test("[api-agent] statistics: percentiles interpolate linearly between ranks", () => {
  // rank = p/100 * 7 over the sorted sample.
  assertEquals(percentile(SAMPLE, 0), 2);
  assertEquals(percentile(SAMPLE, 25), 4); // rank 1.75 between 4 and 4
  assertEquals(percentile(SAMPLE, 50), 4.5); // rank 3.5 between 4 and 5
  assertEquals(percentile(SAMPLE, 75), 5.5); // rank 5.25 between 5 and 7
  assertClose(percentile(SAMPLE, 90), 7.6); // rank 6.3 between 7 and 9
  assertClose(percentile(SAMPLE, 95), 8.3); // rank 6.65
  assertEquals(percentile(SAMPLE, 100), 9);
  assertThrows(() => percentile(SAMPLE, 101), RangeError);
});

Deno.test("[api-agent] statistics: least-squares trend, r² and direction", () => {
  assertEquals(trend([1, 2, 3, 4, 5]), { slope: 1, intercept: 1, r_squared: 1, direction: "up" });
  assertEquals(trend([10, 8, 6]), { slope: -2, intercept: 10, r_squared: 1, direction: "down" });
  assertEquals(trend([5, 5, 5]), { slope: 0, intercept: 5, r_squared: 1, direction: "flat" });
  assertEquals(trend([4]).direction, "flat");
  // sxy = 34, sxx = 42, syy = 32: slope 17/21, intercept 5 - 17/21 * 3.5 = 13/6.
  const t = trend(SAMPLE);
  assertClose(t.slope, 17 / 21, "slope");
  assertClose(t.intercept, 13 / 6, "intercept");
  assertClose(t.r_squared, (34 * 34) / (42 * 32), "r²");
  assertEquals(t.direction, "up");
  // A rise of 2 over a mean of 101 is under 5%: flat.
  assertEquals(trend([100, 101, 102]).direction, "flat");
});

Deno.test("[api-agent] statistics: outliers lie beyond 1.5 IQR from the quartiles", () => {
  // Q1 = 50.5 (rank 1.5), Q3 = 53.5 (rank 4.5), IQR 3: fences 46 and 58.
  assertEquals(outliers([1, 50, 51, 52, 53, 54, 200]), {
    lower_fence: 46,
    upper_fence: 58,
    values: [1, 200],
    indices: [0, 6],
  });
  assertEquals(outliers(SAMPLE), {
    lower_fence: 1.75,
    upper_fence: 7.75,
    values: [9],
    indices: [7],
  });
  assertEquals(outliers([3, 3, 3]).values, []);
});

Deno.test("[api-agent] statistics: describe gathers everything and refuses an empty series", () => {
  const d = describe([1, 2, 3, 4, 5], [50, 90]);
  assertEquals(d.count, 5);
  assertEquals(d.sum, 15);
  assertEquals(d.min, 1);
  assertEquals(d.max, 5);
  assertEquals(d.range, 4);
  assertEquals(d.variance, 2);
  assertEquals(d.percentiles, { p50: 3, p90: 4.6 });
  assertThrows(() => describe([]), RangeError);
});
