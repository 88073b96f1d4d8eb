/** The peers bench's ratios: this product against the best peer on each figure. */
import { assertEquals } from "@app/lib/assert";
import { ratios, type Row } from "./peers.ts";

Deno.test("[bench] ratios take the fastest peer's rate and the lowest peer's costs", () => {
  const rows: Row[] = [
    { engine: "A", product: "no", per_s_k1: 300, overhead_per_step_ms_k1: 4, cpu_ms_per_wf_k1: 3 },
    { engine: "B", product: "no", per_s_k1: 600, overhead_per_step_ms_k1: 8, cpu_ms_per_wf_k1: 2 },
    { engine: "C", product: "no", per_s_k1: 900, overhead_per_step_ms_k1: 6, cpu_ms_per_wf_k1: 5 },
    { engine: "broken", product: "no", error: "could not start" },
    {
      engine: "us",
      product: "yes",
      rate_target: 3,
      per_s_k1: 1800,
      overhead_per_step_ms_k1: 2,
      cpu_ms_per_wf_k1: 1,
    },
  ];
  assertEquals(ratios(rows, [1]), [{
    engine: "us: ratio to the best peer",
    per_s_k1: 2,
    fastest_peer_k1: "C",
    overhead_per_step_ms_k1: 0.5,
    cpu_ms_per_wf_k1: 0.5,
    targets_k1: "rate 3x not met, overhead half met, CPU half met",
  }]);
});
