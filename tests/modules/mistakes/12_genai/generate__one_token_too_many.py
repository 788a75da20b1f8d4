# mistake: max-new-tokens-off-by-one
# expect: one token too many
def generate(model, prompt_ids, max_new_tokens, eos_id=None):
    """Greedy decoding with the model's KV cache: the list of new token ids (eos included when produced)."""
    out = []
    if max_new_tokens <= 0:
        return out
    with torch.no_grad():
        logits, past = model(torch.tensor([list(prompt_ids)], dtype=torch.long), None)
        for step in range(max_new_tokens + 1):
            token = int(torch.argmax(logits[0, -1]))
            out.append(token)
            if token == eos_id or step == max_new_tokens:
                break                          # no forward pass after the last token
            logits, past = model(torch.tensor([[token]], dtype=torch.long), past)
    return out
