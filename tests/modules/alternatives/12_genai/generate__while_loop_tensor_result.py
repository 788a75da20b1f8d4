def generate(model, prompt_ids, max_new_tokens, eos_id=None):
    new = []
    feed, past = torch.tensor(prompt_ids, dtype=torch.long).unsqueeze(0), None
    while len(new) < max_new_tokens:
        with torch.inference_mode():
            logits, past = model(feed, past)
        nxt = logits[:, -1, :].argmax(dim=-1)
        new.append(nxt)
        if eos_id is not None and nxt.item() == eos_id:
            break
        if len(new) < max_new_tokens:
            feed = nxt.view(1, 1)
    return torch.cat(new) if new else torch.empty(0, dtype=torch.long)
