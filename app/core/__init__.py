"""Building blocks shared by all domains: clock, column types, mixins, acting user."""
