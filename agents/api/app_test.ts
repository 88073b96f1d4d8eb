import { assert, assertEquals, assertMatch, assertStringIncludes } from "@app/lib/assert";
import { SOLAR_TEXT } from "./testdata/texts.ts";
import { startAgent } from "./testdata/server.ts";

Deno.test("[api-agent] GET /health, /capabilities, /docs and /openapi.json", async () => {
  const agent = startAgent();
  try {
    const health = await agent.get("/health");
    assertEquals(health.status, 200);
    assertEquals(await health.json(), {
      status: "healthy",
      service: "api-agent",
      version: "1.0.0",
      llm_provider: "offline",
      offline: true,
    });

    const capabilities = await (await agent.get("/capabilities")).json();
    assertEquals(capabilities.capabilities, ["summarization", "analysis", "extraction"]);
    assertEquals(capabilities.operations.map((o: { route: string }) => o.route), [
      "/api/summarize",
      "/api/analyze",
      "/api/extract",
    ]);
    assertEquals(capabilities.llm, { provider: "offline", model: null });

    const docs = await agent.get("/docs");
    assertEquals(docs.status, 200);
    assertMatch(docs.headers.get("content-type") ?? "", /text\/html/);
    assertStringIncludes(await docs.text(), "swagger");

    const spec = await (await agent.get("/openapi.json")).json();
    for (const path of ["/api/process", "/api/summarize", "/api/analyze", "/api/extract"]) {
      assert(spec.paths[path]?.post, `${path} is documented`);
    }
    assert(spec.paths["/process"]?.post, "/process is documented");
    assert(spec.components.schemas.OperationResponse, "the response schema is documented");
  } finally {
    await agent.close();
  }
});

Deno.test("[api-agent] analyze numbers: exact statistics and the response contract", async () => {
  const agent = startAgent();
  try {
    const { status, body } = await agent.post("/api/process", {
      operation: "analyze",
      input: "",
      data: [2, 4, 4, 4, 5, 5, 7, 9],
    });
    assertEquals(status, 200);
    assertEquals(body.operation, "analyze");
    assertEquals(body.offline, true);
    assertEquals("model" in body, false);
    assertEquals(body.result.data.fields.values, {
      count: 8,
      sum: 40,
      mean: 5,
      median: 4.5,
      min: 2,
      max: 9,
      range: 7,
      variance: 4,
      std_dev: 2,
      percentiles: { p25: 4, p50: 4.5, p75: 5.5, p90: 7.6, p95: 8.3 },
      // slope 17/21, intercept 13/6, r² 1156/1344, to 12 significant digits
      trend: {
        slope: 0.809523809524,
        intercept: 2.16666666667,
        r_squared: 0.860119047619,
        direction: "up",
      },
      outliers: { lower_fence: 1.75, upper_fence: 7.75, values: [9], indices: [7] },
      skipped: 0,
    });
    assertEquals(body.result.data.std_dev_kind, "population");
    assertEquals(
      body.summary,
      "Analyzed 8 values: mean 5, median 4.5, range 2 to 9, standard deviation 2 " +
        "(population); trend up (+0.8095 per step); 1 outlier: 9 (index 7).",
    );
    assertEquals(body.insights, [
      "mean 5, median 4.5 (min 2, max 9)",
      "standard deviation 2 (population)",
      "trending up, +0.8095 per step (R² 0.8601)",
      "outliers: 9 (index 7)",
    ]);
  } finally {
    await agent.close();
  }
});

Deno.test("[api-agent] analyze records and custom percentiles through /api/analyze", async () => {
  const agent = startAgent();
  try {
    const { status, body } = await agent.post("/api/analyze", {
      input: "",
      data: [
        { region: "north", sales: 10, units: 1 },
        { region: "south", sales: 20, units: 3 },
        { region: "north", sales: 30 },
        { region: "east", sales: 40, units: 5 },
      ],
      options: { percentiles: [10, 50] },
    });
    assertEquals(status, 200);
    const { sales, units } = body.result.data.fields;
    assertEquals([sales.count, sales.mean, sales.median, sales.std_dev], [
      4,
      25,
      25,
      11.1803398875,
    ]);
    assertEquals(sales.percentiles, { p10: 13, p50: 25 });
    assertEquals(sales.trend, { slope: 10, intercept: 10, r_squared: 1, direction: "up" });
    assertEquals([units.count, units.mean, units.skipped], [3, 3, 1]);
    assertEquals(body.result.data.categorical[0].field, "region");
    assertEquals(body.result.data.record_count, 4);
    assert(body.insights.includes('region: 3 distinct values, most common "north" (2)'));
  } finally {
    await agent.close();
  }
});

Deno.test("[api-agent] analyze text: counts and keywords", async () => {
  const agent = startAgent();
  try {
    const { status, body } = await agent.post("/api/process", {
      operation: "analyze",
      input: "The cat sat. The cat ran away!",
      options: { top_k: 2 },
    });
    assertEquals(status, 200);
    assertEquals(body.result.text, {
      characters: 30,
      words: 7,
      unique_words: 5,
      sentences: 2,
      average_sentence_length: 3.5,
      keywords: [{ word: "cat", count: 2 }, { word: "sat", count: 1 }],
    });
    assertEquals(
      body.summary,
      "The text has 7 words in 2 sentences (3.5 words per sentence on average); its main " +
        "terms are cat and sat.",
    );
  } finally {
    await agent.close();
  }
});

Deno.test("[api-agent] summarize offline: the top sentences in original order", async () => {
  const agent = startAgent();
  try {
    const { status, body } = await agent.post("/api/summarize", { input: SOLAR_TEXT });
    assertEquals(status, 200);
    assertEquals(
      body.summary,
      "Solar power is growing fast. Solar panels are cheaper than ever, and solar power now " +
        "beats coal. Many countries invest in solar power.",
    );
    assertEquals(body.operation, "summarize");
    assertEquals(body.offline, true);
    assertEquals(body.result.method, "extractive");
    assertEquals(body.result.ranked.map((s: { index: number }) => s.index), [0, 1, 3]);
    assertEquals(body.result.sentence_count, 5);
    assertEquals(body.insights[0], "Kept 3 of 5 sentences (79% of the words)");

    const two = await agent.post("/api/process", {
      operation: "summarize",
      input: SOLAR_TEXT,
      options: { max_sentences: 1 },
    });
    assertEquals(two.body.summary, "Solar power is growing fast.");
  } finally {
    await agent.close();
  }
});

Deno.test("[api-agent] extract: keywords, names, numbers and dates", async () => {
  const agent = startAgent();
  try {
    const { status, body } = await agent.post("/api/extract", {
      input: "On November 2, 2025 the European Central Bank raised rates by 0.25% to 4.5%. " +
        "Apple paid $1,200.50 on 2025-11-03 in New York.",
    });
    assertEquals(status, 200);
    assertEquals(body.result.dates, [
      { text: "November 2, 2025", iso: "2025-11-02" },
      { text: "2025-11-03", iso: "2025-11-03" },
    ]);
    assertEquals(body.result.numbers, [
      { text: "0.25%", value: 0.25, kind: "percentage" },
      { text: "4.5%", value: 4.5, kind: "percentage" },
      { text: "$1,200.50", value: 1200.5, kind: "currency", currency: "USD" },
    ]);
    assertEquals(body.result.phrases, [
      { text: "European Central Bank", count: 1 },
      { text: "New York", count: 1 },
    ]);
    assertEquals(body.result.keywords.slice(0, 3).map((k: { word: string }) => k.word), [
      "european",
      "central",
      "bank",
    ]);
    assertEquals(
      body.summary,
      "Found 9 keywords, 2 capitalised phrases, 3 numbers and 2 dates. Most mentioned " +
        "names: European Central Bank and New York.",
    );
    assert(body.insights.includes("Dates: 2025-11-02, 2025-11-03"));
    assertEquals(body.result.totals, { phrases: 2, numbers: 3, dates: 2 });
  } finally {
    await agent.close();
  }
});

Deno.test("[api-agent] POST /process keeps the original's {task_type, data, instructions}", async () => {
  const agent = startAgent();
  try {
    const summary = await agent.post("/process", { task_type: "Summarization", data: SOLAR_TEXT });
    assertEquals(summary.status, 200);
    assertEquals(summary.body.operation, "summarize");
    assertEquals(summary.body.task_type, "Summarization");
    assertEquals(summary.body.status, "completed");
    assertStringIncludes(summary.body.summary, "Many countries invest in solar power.");

    const analysis = await agent.post("/process", {
      task_type: "data_analysis",
      data: [{ price: 1 }, { price: 3 }],
    });
    assertEquals(analysis.status, 200);
    assertEquals(analysis.body.result.data.fields.price.mean, 2);

    const extraction = await agent.post("/process", {
      task_type: "extraction",
      data: null,
      instructions: "Ada Lovelace arrives on 2 Nov 2025.",
    });
    assertEquals(extraction.status, 200);
    assertEquals(extraction.body.result.phrases, [{ text: "Ada Lovelace", count: 1 }]);
    assertEquals(extraction.body.result.dates[0].iso, "2025-11-02");

    const texts = await agent.post("/process", {
      task_type: "summary",
      data: ["First point here.", "Second point there."],
    });
    assertEquals(texts.body.summary, "First point here. Second point there.");

    const unknown = await agent.post("/process", { task_type: "translate", data: "x" });
    assertEquals(unknown.status, 422);
    assertEquals(unknown.body.error.details[0].field, "task_type");
  } finally {
    await agent.close();
  }
});

Deno.test("[api-agent] bad input answers 400/413/422 naming the problem, never 500", async () => {
  const agent = startAgent({ env: { MAX_BODY_BYTES: "2000" } });
  const cases: [string, unknown, number, string][] = [
    ["/api/process", { input: "text" }, 422, "operation"],
    ["/api/process", { operation: "translate", input: "x" }, 422, "operation"],
    ["/api/process", { operation: "summarize", input: 42 }, 422, "input"],
    ["/api/summarize", { input: "x", options: { max_sentences: 0 } }, 422, "options.max_sentences"],
    ["/api/analyze", { input: "", options: { percentiles: [150] } }, 422, "options.percentiles.0"],
    ["/api/analyze", { input: "x", data: "not a list" }, 422, "data"],
    ["/api/analyze", { input: "", data: [{ name: "a" }, "b"] }, 422, "data"],
    ["/api/analyze", { input: "" }, 422, "input"],
    ["/api/analyze", { input: "   " }, 422, "input"],
    ["/api/analyze", { data: [1, 2], options: { fields: ["nope"] } }, 422, "options.fields"],
    ["/api/summarize", { input: "", data: [1, 2, 3] }, 422, "input"],
    ["/api/extract", { input: "" }, 422, "input"],
    ["/process", { data: "text" }, 422, "task_type"],
    // Names every object inherits are not task types.
    ["/process", { task_type: "constructor", data: "text" }, 422, "task_type"],
    ["/process", { task_type: "__proto__", data: "text" }, 422, "task_type"],
    ["/process", { task_type: "analysis", data: { a: "b" } }, 422, "data"],
    ["/api/analyze", { data: [1e308, 1e308] }, 422, "data"],
    ["/api/analyze", { data: [{ big: 1e200 }] }, 422, "data.big"],
  ];
  try {
    for (const [path, body, status, field] of cases) {
      const response = await agent.post(path, body);
      assertEquals(response.status, status, `${path} ${JSON.stringify(body)}`);
      assertEquals(response.body.error.code, "validation_failed");
      assert(
        response.body.error.details.some((d: { field: string }) => d.field === field),
        `${JSON.stringify(body)} names ${field}: ${JSON.stringify(response.body.error)}`,
      );
      assertStringIncludes(response.body.error.message, field);
    }
    const malformed = await agent.post("/api/process", "{not json");
    assertEquals(malformed.status, 400);
    assertEquals(malformed.body.error.code, "bad_request");

    const big = await agent.post("/api/summarize", { input: "word ".repeat(1000) });
    assertEquals(big.status, 413);
    assertEquals(big.body.error.code, "payload_too_large");
  } finally {
    await agent.close();
  }
});

Deno.test("[api-agent] odd but valid shapes never answer 500", async () => {
  const agent = startAgent();
  const inputs = ["", " ", ".", "!!!", "1.5", "\u0000", "É", "a".repeat(5000), "Mr. Dr. Prof."];
  const datas: unknown[] = [
    undefined,
    [],
    {},
    [null],
    [[1, 2]],
    [{}],
    { a: { b: { c: [1, { d: 2 }] } } },
    [1e308, 1e308],
    [-0, 0],
    ["1,000", "2e3"],
    [true, false],
  ];
  try {
    for (const operation of ["summarize", "analyze", "extract"]) {
      for (const input of inputs) {
        for (const data of datas) {
          const { status, body } = await agent.post("/api/process", { operation, input, data });
          assert(
            status === 200 || status === 422,
            `${operation} ${JSON.stringify({ input, data })} answered ${status}`,
          );
          if (status === 200) {
            assertEquals(typeof body.summary, "string");
            assert(Array.isArray(body.insights));
            assertEquals(body.offline, true);
          }
        }
      }
    }
  } finally {
    await agent.close();
  }
});

Deno.test("[api-agent] the orchestrator's call shape (unknown options pass through) works", async () => {
  const agent = startAgent();
  try {
    for (const operation of ["summarize", "analyze", "extract"]) {
      const { status, body } = await agent.post("/api/process", {
        operation,
        input: SOLAR_TEXT,
        options: { instruction: "Summarize the findings", step: 2, anything: { nested: true } },
      });
      assertEquals(status, 200, operation);
      assertEquals(body.operation, operation);
      assert(body.summary.length > 0 && body.insights.length > 0, operation);
    }
  } finally {
    await agent.close();
  }
});

Deno.test("[api-agent] a large text stays fast (no quadratic paths)", async () => {
  const agent = startAgent({ env: { MAX_BODY_BYTES: "2000000" } });
  const sentence = "On November 2, 2025 the European Central Bank raised rates by 0.25% to " +
    "$4.5 million. Dr. A. B. Smith said that solar power grows in New York. ";
  const input = sentence.repeat(Math.ceil(500_000 / sentence.length));
  try {
    for (const operation of ["summarize", "analyze", "extract"]) {
      const started = performance.now();
      const { status, body } = await agent.post("/api/process", { operation, input });
      const elapsed = performance.now() - started;
      assertEquals(status, 200, operation);
      assert(elapsed < 5_000, `${operation} took ${Math.round(elapsed)} ms on 500 kB`);
      if (operation === "extract") {
        assertEquals(body.result.dates.length, 200);
        assert(body.result.totals.dates > 200);
      }
    }
  } finally {
    await agent.close();
  }
});
