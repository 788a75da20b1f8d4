# mistake: call-after-last-token
# expect: the last token needs no
def generate(model, prompt_ids, max_new_tokens, eos_id=None):
    out = []
    with torch.no_grad():
        logits, past = model(torch.tensor([prompt_ids]), None)
        for _ in range(max_new_tokens):
            token = int(logits[0, -1].argmax())
            out.append(token)
            logits, past = model(torch.tensor([[token]]), past)
            if token == eos_id:
                break
    return out
