# mistake: crash-on-validation-error
# expect: fail validation
def tool_loop(llm, tools, user_message, max_steps=5):
    messages = [{"role": "user", "content": user_message}]
    for step in range(1, max_steps + 1):
        reply = llm(messages)
        messages.append({"role": "assistant", "content": reply})
        if not reply.strip().startswith("{"):
            return {"answer": reply, "steps": step, "messages": messages}
        try:
            call = json.loads(reply)
            fn, model = tools[call["tool"]]
        except (json.JSONDecodeError, KeyError) as exc:
            messages.append({"role": "tool", "content": f"error: {exc}"})
            continue
        args = model.model_validate(call.get("arguments", {}))
        try:
            result = fn(**args.model_dump())
        except Exception as exc:
            messages.append({"role": "tool", "content": f"error: {exc}"})
            continue
        messages.append({"role": "tool", "name": call["tool"], "content": json.dumps(result)})
    return {"answer": None, "steps": max_steps, "messages": messages}
