"""The typed content model and its YAML files: the contract between ingest and build."""
