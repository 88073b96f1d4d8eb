/** Fixed texts whose scores the tests compute by hand. */

// Term frequencies: solar 4, power 3, every other content word 1; weights are tf / 4.
export const SOLAR_TEXT = "Solar power is growing fast. " +
  "Solar panels are cheaper than ever, and solar power now beats coal. " +
  "The weather was nice. Many countries invest in solar power. Dogs bark.";
