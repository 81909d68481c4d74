# Dev-only: builds <model>.json beside this file from llama.cpp (commit 0c1e5709,
# the golden commit) through ./tokref. Not part of the project's build.
import hashlib, json, random, subprocess, sys, os, zlib

MODELS = {
    "smollm2": "SmolLM2-135M-Instruct.Q4_1.gguf",
    "qwen2": "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    "gemma3": "gemma-3-270m-q4_k_m.gguf",
}
SPECIALS = {
    "smollm2": ["<|im_start|>", "<|im_end|>", "<|endoftext|>", "<reponame>", "<file_sep>"],
    "qwen2": ["<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|fim_prefix|>", "<tool_call>", "<|repo_name|>"],
    "gemma3": ["<start_of_turn>", "<end_of_turn>", "<bos>", "<eos>", "<unused0>", "<unused17>", "<mask>", "[multimodal]"],
}
FIXED = [
    "Hello world", " Hello world", "  Hello  world  ", "hello\n\nworld\r\n\r\nend\n",
    "I'm don't we'll they've she'd it's I'M DON'T WE'LL THEY'VE 's 'S 'Ll",
    "\tindented\n\t\tdouble\n    four spaces\n        eight\n",
    "trailing   ", "   ", "\n", "\n\n\n", " \n \n ", "\r", "\r\n", "a\u00a0b\u3000c\u2028d\u0085e\u2009f",
    "e\u0301 n\u0303 a\u030a", "naïve café résumé Ångström Øre", "Ünïcödé tëxt", "ΑΒΓ αβγ Ωμέγα", "Привет, мир!",
    "नमस्ते दुनिया", "สวัสดีชาวโลก", "مرحبا بالعالم", "שלום עולם", "你好，世界！", "こんにちは世界", "안녕하세요 세계",
    "👨‍👩‍👧 🇫🇷 👍🏽 🚀🌍 ❤️", "١٢٣ ٤٥٦ ½ ² ³ Ⅻ ⅷ ①②", "∑∫∂√∞ ≠ ≤ ≥", "€100 $5 ¥300 £2",
    "!!! ??? ... ,,, ;;; ::: --- === +++", "— – - ‐ “quoted” ‘single’ «guillemets»",
    "def f(x):\n    return x**2  # square\n", "fn main() {\n    println!(\"{}\", 1 + 2);\n}\n",
    '{"key": [1, 2.5, -3e10, null, true], "nested": {"a": "b"}}', "https://example.com/a/b?c=d&e=f#g",
    "user@example.com", "3.14159 1,000,000 0x1F 0b1010 1e-9", "12345678901234567890",
    "\u0378\u0379 unassigned", "\ue000\uf8ff private", "\U0010fffd plane16", "\x01\x02\x7f controls",
    "\ufeffBOM", "zero\u200bwidth\u200djoin soft\u00adhyphen", "a\u0300\u0301\u0302\u0303 stacked",
    "x" * 300, " " * 17 + "x", "\n" * 9 + "x", "ab" * 150, "😀" * 40, "1" * 101,
    "The quick brown fox jumps over the lazy dog. 1234567890 + 987654321 = ",
    "Ünïcödé tëxt, emoji 🚀🌍, and\ttabs   spaced    words — all tokenized.",
]
POOLS = [
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", "     ", "\t\n\r", ".,;:!?'\"()[]{}<>-_/\\|@#$%^&*+=~`",
    "éèêëàâäôöûüçñßøåæœÁÉÍÓÚ", "中文字符日本語한국어", "🚀🌍😀👍🏽❤️‍🔥", "\u0301\u0308\u20dd", "\u00a0\u2009\u3000\u2028\u0085",
    "αβγδεζηθικλμνξοπρστυφχψω", "١٢٣٤٥½²Ⅻ", "—–“”‘’«»…", "'s'S'll're've'd'm'T",
]

def rand_strings(seed, n, specials):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        s = []
        for _ in range(rng.randint(1, 60)):
            r = rng.random()
            if r < 0.04 and specials:
                s.append(rng.choice(specials))
            else:
                pool = rng.choice(POOLS)
                s.append(rng.choice(pool) * (rng.randint(2, 6) if rng.random() < 0.1 else 1))
        out.append("".join(s))
    return out

def run(model, args, data):
    p = subprocess.run(["./tokref", model] + args, input=data, capture_output=True, check=True)
    return p.stdout

def main(name):
    path = os.path.join(os.environ.get("WICAS_MODEL_DIR", "/root/.cache/wicas/models"), MODELS[name])
    sp = SPECIALS[name]
    fixed = FIXED + [a + b + "x" + c for a, b, c in zip(sp, sp[1:] + sp[:1], sp[2:] + sp[:2])] + [
        "".join(sp), " ".join(sp), sp[0][:-1] + " partial " + sp[1][1:], sp[0] + "\n" + sp[0],
    ]
    texts = fixed + rand_strings(zlib.crc32(name.encode()), 250, sp)
    texts = [t for t in texts if "\0" not in t]
    cases = []
    for add, parse in [(1, 1), (0, 0)]:
        data = b"\0".join(t.encode() for t in texts)
        lines = run(path, ["enc", str(add), str(parse)], data).decode().split("\n")
        for t, line in zip(texts, lines):
            ids = [int(x) for x in line.split()] if line else []
            cases.append({"text": t, "add_special": bool(add), "parse_special": bool(parse), "ids": ids})
    pieces = run(path, ["pieces"], b"").decode().split("\n")
    h = hashlib.sha256()
    n = 0
    for line in pieces:
        if not line:
            continue
        tid, _, hexs = line.partition(" ")
        b = bytes.fromhex(hexs)
        h.update(len(b).to_bytes(4, "little")); h.update(b); n += 1
    eog = [int(x) for x in run(path, ["eog"], b"").split()]
    chats = []
    if name != "gemma3":
        conv = [("system", "You are terse."), ("user", "Hi there"), ("assistant", "Hello."), ("user", "2+2?")]
        data = b"".join(r.encode() + b"\0" + c.encode() + b"\0" for r, c in conv)
        for add_ass in (1, 0):
            chats.append({"messages": [list(m) for m in conv], "add_generation_prompt": bool(add_ass),
                          "text": run(path, ["chat", str(add_ass)], data).decode()})
    out = {
        "source": "llama.cpp 0c1e57098bba43ac29e6e3b677cdceebdd22334f (ggml 0.25.3), vocab_only, llama_tokenize / llama_token_to_piece(special=true) / llama_vocab_is_eog / llama_chat_apply_template",
        "model": MODELS[name], "n_tokens": n,
        "pieces_sha256": h.hexdigest(), "eog": eog, "chat": chats, "cases": cases,
    }
    dst = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.json")
    with open(dst, "w") as f:
        json.dump(out, f, ensure_ascii=False, indent=0)
    print(name, len(cases), "cases", os.path.getsize(dst), "bytes", "eog", eog)

for name in sys.argv[1:]:
    main(name)
