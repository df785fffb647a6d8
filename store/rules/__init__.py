"""The rules: pure functions of the model (cadence, due state, streak, nudges, stats,
names, dates, values, text). They never import the engine."""
