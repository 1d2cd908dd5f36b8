"""The translation memory: reviewers' units, the machine cache, and TMX exchange."""
