# mistake: recomputes-sequence
# expect: quadratic
def generate(model, prompt_ids, max_new_tokens, eos_id=None):
    ids = list(prompt_ids)
    out = []
    with torch.no_grad():
        for _ in range(max_new_tokens):
            logits, _ = model(torch.tensor([ids]), None)
            token = int(logits[0, -1].argmax())
            out.append(token)
            ids.append(token)
            if token == eos_id:
                break
    return out
