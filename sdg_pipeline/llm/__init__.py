"""The OpenAI-compatible client: versioned prompts, retries, response cache, spend budget."""
