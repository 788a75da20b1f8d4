# mistake: tool-result-not-appended
# expect: before calling the LLM again
def tool_loop(llm, tools, user_message, max_steps=5):
    chat = [{"role": "user", "content": user_message}]          # what the model sees
    transcript = list(chat)                                      # what we return
    for step in range(1, max_steps + 1):
        reply = llm(chat)
        chat.append({"role": "assistant", "content": reply})
        transcript.append({"role": "assistant", "content": reply})
        if not reply.strip().startswith("{"):
            return {"answer": reply, "steps": step, "messages": transcript}
        try:
            call = json.loads(reply)
            fn, model = tools[call["tool"]]
            result = fn(**model.model_validate(call.get("arguments", {})).model_dump())
            transcript.append({"role": "tool", "name": call["tool"], "content": json.dumps(result)})
        except Exception as exc:
            transcript.append({"role": "tool", "content": f"error: {exc}"})
    return {"answer": None, "steps": max_steps, "messages": transcript}
