"""Names outside the glossary: found, kept to one rendering per run, checked for consistency."""
