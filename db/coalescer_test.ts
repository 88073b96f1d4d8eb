import { assertEquals, assertRejects } from "@app/lib/assert";
import { Coalescer } from "./coalescer.ts";

Deno.test("[db] coalescer: calls made while a batch runs go together in the next", async () => {
  const batches: number[][] = [];
  const doubled = new Coalescer(async (items: number[]) => {
    batches.push(items);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return items.map((n) => n * 2);
  });
  const first = doubled.call(1);
  await new Promise((resolve) => setTimeout(resolve, 1));
  const rest = [2, 3, 4].map((n) => doubled.call(n));
  assertEquals(await Promise.all([first, ...rest]), [2, 4, 6, 8]);
  assertEquals(batches, [[1], [2, 3, 4]], "the three waited for the first batch, then went as one");
  assertEquals(doubled.stats, { batches: 2, calls: 4 });
});

Deno.test("[db] coalescer: a failed batch is retried call by call, one bad call fails alone", async () => {
  const seen: number[][] = [];
  const checked = new Coalescer((items: number[]) => {
    seen.push(items);
    if (items.includes(13)) return Promise.reject(new Error("13 is refused"));
    return Promise.resolve(items);
  });
  const calls = [12, 13, 14].map((n) => checked.call(n));
  assertEquals(await calls[0], 12);
  await assertRejects(() => calls[1], Error, "13 is refused");
  assertEquals(await calls[2], 14);
  assertEquals(seen, [[12, 13, 14], [12], [13], [14]]);
});

Deno.test("[db] coalescer: batches keep to their size and run one after another", async () => {
  let running = 0;
  let most = 0;
  const sizes: number[] = [];
  const echo = new Coalescer(async (items: number[]) => {
    most = Math.max(most, ++running);
    sizes.push(items.length);
    await new Promise((resolve) => setTimeout(resolve, 1));
    running--;
    return items;
  }, { maxBatch: 3 });
  const values = Array.from({ length: 7 }, (_, i) => i);
  assertEquals(await Promise.all(values.map((n) => echo.call(n))), values, "in call order");
  assertEquals(sizes, [3, 3, 1]);
  assertEquals(most, 1, "one batch at a time");
});
