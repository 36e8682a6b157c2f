"""The corridor scenario layout (scenario.yml and its CSV files); see docs/scenario-format.md."""
