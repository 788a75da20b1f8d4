# mistake: no-step-cap
# expect: stop after max_steps
def tool_loop(llm, tools, user_message, max_steps=5):
    messages = [{"role": "user", "content": user_message}]
    steps = 0
    while True:
        reply = llm(messages)
        steps += 1
        messages.append({"role": "assistant", "content": reply})
        if not reply.strip().startswith("{"):
            return {"answer": reply, "steps": steps, "messages": messages}
        try:
            call = json.loads(reply)
            fn, model = tools[call["tool"]]
            result = fn(**model.model_validate(call.get("arguments", {})).model_dump())
            messages.append({"role": "tool", "name": call["tool"], "content": json.dumps(result)})
        except Exception as exc:
            messages.append({"role": "tool", "content": f"error: {exc}"})
