"""09_nlp: tokenisers, sparse retrieval, word2vec, n-gram language models and NLP metrics."""
