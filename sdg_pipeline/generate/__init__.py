"""Generation: question/answer pairs written from chunks, by an LLM or the offline generator."""
