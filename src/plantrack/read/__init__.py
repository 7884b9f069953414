"""Files to plans: which files are plans, YAML with source positions, the cache, and the
schema that turns the reader's data into the model."""
