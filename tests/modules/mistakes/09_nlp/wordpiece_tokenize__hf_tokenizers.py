# mistake: blocked-call
# expect: implement it yourself
from tokenizers import Tokenizer, models, pre_tokenizers


def wordpiece_tokenize(text, vocab, unk_token="[UNK]", max_input_chars_per_word=100):
    table = {tok: i for i, tok in enumerate(sorted(set(vocab) | {unk_token}))}
    tok = Tokenizer(models.WordPiece(vocab=table, unk_token=unk_token,
                                     max_input_chars_per_word=max_input_chars_per_word))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    return tok.encode(text).tokens
