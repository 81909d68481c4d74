//! Chat templates: recognised from `tokenizer.chat_template`, applied without a Jinja engine.
//!
//! Detection follows llama.cpp `llm_chat_detect_template` (`src/llama-chat.cpp`) and so does the
//! output of each format. One addition: a ChatML template that writes a default system message when
//! the conversation has none (SmolLM2, Qwen2.5) gets that message, as the model's own template and
//! llama.cpp's Jinja path (`--jinja`) render it (decision 0203).

use crate::engine::ChatMessage;

/// A chat format this engine can apply.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChatTemplate {
    /// `<|im_start|>role\ncontent<|im_end|>\n`.
    ChatMl {
        /// The system message the template adds when the first message is not a system message.
        default_system: Option<String>,
    },
    /// Llama-2 `[INST] … [/INST]` and its variants.
    Llama2 {
        /// System messages go in `<<SYS>>` tags (else they are prefixed to the user message).
        system_tags: bool,
        /// Each later turn opens with `<s>`.
        bos_in_history: bool,
        /// Message contents are trimmed.
        strip: bool,
    },
    /// Llama-3 `<|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>`.
    Llama3,
    /// Gemma `<start_of_turn>role\ncontent<end_of_turn>\n` (no system role: it joins the first
    /// user message).
    Gemma,
}

impl ChatTemplate {
    /// Recognise a template by the markers llama.cpp looks for; `None` when it is not one of ours.
    pub fn detect(template: &str) -> Option<ChatTemplate> {
        let has = |s: &str| template.contains(s);
        if has("<|im_start|>") {
            if has("<|im_sep|>") || has("<end_of_utterance>") {
                return None; // Phi-4, SmolVLM: not ChatML
            }
            return Some(ChatTemplate::ChatMl {
                default_system: default_chatml_system(template),
            });
        }
        if template.starts_with("mistral") || has("[INST]") {
            if has("[SYSTEM_PROMPT]")
                || has("' [INST] ' + system_message")
                || has("[AVAILABLE_TOOLS]")
            {
                return None; // Mistral variants
            }
            return Some(ChatTemplate::Llama2 {
                system_tags: has("<<SYS>>"),
                bos_in_history: has("bos_token + '[INST]"),
                strip: has("content.strip()"),
            });
        }
        let others = [
            has("<|assistant|>") && has("<|end|>"),
            has("[gMASK]<sop>"),
            has("<|assistant|>") && has("<|user|>"),
            has("<|user|>") && has("<|endoftext|>"),
            has("bos_token + message['role']"),
        ];
        if others.into_iter().any(|b| b) {
            return None;
        }
        if has("<start_of_turn>") {
            return Some(ChatTemplate::Gemma);
        }
        if has("<|start_header_id|>") && has("<|end_header_id|>") {
            return Some(ChatTemplate::Llama3);
        }
        None
    }

    /// Render `messages`; with `add_generation_prompt` the text ends where the assistant's reply
    /// begins.
    pub fn apply(&self, messages: &[ChatMessage], add_generation_prompt: bool) -> String {
        let mut s = String::new();
        match self {
            ChatTemplate::ChatMl { default_system } => {
                let needs_default = messages.first().is_some_and(|m| m.role != "system");
                if let (true, Some(sys)) = (needs_default, default_system) {
                    push_chatml(&mut s, "system", sys);
                }
                for m in messages {
                    push_chatml(&mut s, &m.role, &m.content);
                }
                if add_generation_prompt {
                    s.push_str("<|im_start|>assistant\n");
                }
            }
            ChatTemplate::Llama2 {
                system_tags,
                bos_in_history,
                strip,
            } => {
                // llama.cpp renders no generation prompt for this format: the text already ends
                // with `[/INST]`.
                let mut inside_turn = true;
                s.push_str("[INST] ");
                for m in messages {
                    let content = if *strip { trim(&m.content) } else { &m.content };
                    if !inside_turn {
                        inside_turn = true;
                        s.push_str(if *bos_in_history {
                            "<s>[INST] "
                        } else {
                            "[INST] "
                        });
                    }
                    match m.role.as_str() {
                        "system" if *system_tags => {
                            s.push_str("<<SYS>>\n");
                            s.push_str(content);
                            s.push_str("\n<</SYS>>\n\n");
                        }
                        "system" => {
                            s.push_str(content);
                            s.push('\n');
                        }
                        "user" => {
                            s.push_str(content);
                            s.push_str(" [/INST]");
                        }
                        _ => {
                            s.push_str(content);
                            s.push_str("</s>");
                            inside_turn = false;
                        }
                    }
                }
            }
            ChatTemplate::Llama3 => {
                for m in messages {
                    s.push_str("<|start_header_id|>");
                    s.push_str(&m.role);
                    s.push_str("<|end_header_id|>\n\n");
                    s.push_str(trim(&m.content));
                    s.push_str("<|eot_id|>");
                }
                if add_generation_prompt {
                    s.push_str("<|start_header_id|>assistant<|end_header_id|>\n\n");
                }
            }
            ChatTemplate::Gemma => {
                let mut system = String::new();
                for m in messages {
                    if m.role == "system" {
                        system.push_str(trim(&m.content));
                        continue;
                    }
                    let role = if m.role == "assistant" {
                        "model"
                    } else {
                        m.role.as_str()
                    };
                    s.push_str("<start_of_turn>");
                    s.push_str(role);
                    s.push('\n');
                    if !system.is_empty() && role != "model" {
                        s.push_str(&system);
                        s.push_str("\n\n");
                        system.clear();
                    }
                    s.push_str(trim(&m.content));
                    s.push_str("<end_of_turn>\n");
                }
                if add_generation_prompt {
                    s.push_str("<start_of_turn>model\n");
                }
            }
        }
        s
    }
}

fn push_chatml(s: &mut String, role: &str, content: &str) {
    s.push_str("<|im_start|>");
    s.push_str(role);
    s.push('\n');
    s.push_str(content);
    s.push_str("<|im_end|>\n");
}

/// Trim ASCII whitespace (C `isspace`), as llama.cpp's `trim`.
fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r'))
}

/// The default system message of a ChatML template: a string literal that is exactly
/// `<|im_start|>system\n…<|im_end|>` (optionally followed by `\n`).
fn default_chatml_system(template: &str) -> Option<String> {
    const OPEN: &str = "<|im_start|>system\n";
    let bytes = template.as_bytes();
    let mut from = 0;
    while let Some(at) = template[from..].find("<|im_start|>system") {
        let start = from + at;
        from = start + 1;
        // The literal's opening quote is the nearest quote before the marker.
        let Some(q_at) = template[..start].rfind(['\'', '"']) else {
            continue;
        };
        let quote = bytes[q_at];
        let Some(lit) = read_literal(&template[q_at + 1..], quote) else {
            continue;
        };
        let Some(body) = lit.strip_prefix(OPEN) else {
            continue;
        };
        let body = body.strip_suffix('\n').unwrap_or(body);
        if let Some(msg) = body.strip_suffix("<|im_end|>")
            && !msg.contains("<|im_start|>")
            && !msg.contains("<|im_end|>")
        {
            return Some(msg.to_string());
        }
    }
    None
}

/// A Jinja string literal body up to the unescaped closing `quote`, with `\n`, `\t`, `\\`, `\'`,
/// `\"` unescaped.
fn read_literal(s: &str, quote: u8) -> Option<String> {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                other => out.push(other),
            },
            c if c as u32 == u32::from(quote) => return Some(out),
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(role: &str, content: &str) -> ChatMessage {
        ChatMessage {
            role: role.into(),
            content: content.into(),
        }
    }

    const SMOLLM2: &str = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    #[test]
    fn smollm2_template_adds_its_default_system_message() {
        let t = ChatTemplate::detect(SMOLLM2).unwrap();
        let sys = "You are a helpful AI assistant named SmolLM, trained by Hugging Face";
        assert_eq!(
            t,
            ChatTemplate::ChatMl {
                default_system: Some(sys.into())
            }
        );
        assert_eq!(
            t.apply(&[msg("user", "Hi")], true),
            format!(
                "<|im_start|>system\n{sys}<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
            )
        );
        let own = t.apply(&[msg("system", "Be brief."), msg("user", "Hi")], false);
        assert_eq!(
            own,
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
        );
    }

    #[test]
    fn escaped_newlines_in_literals_are_understood() {
        let qwen = r"{%- else %}{{- '<|im_start|>system\n' + messages[0]['content'] + '<|im_end|>\n' }}{%- else %}{{- '<|im_start|>system\nYou are Qwen.<|im_end|>\n' }}";
        assert_eq!(
            ChatTemplate::detect(qwen),
            Some(ChatTemplate::ChatMl {
                default_system: Some("You are Qwen.".into())
            })
        );
    }

    #[test]
    fn llama2_and_llama3_and_gemma_and_unknown() {
        let l2 = ChatTemplate::detect("{{ '[INST] <<SYS>>' }}").unwrap();
        assert_eq!(
            l2.apply(
                &[
                    msg("system", "S"),
                    msg("user", "U"),
                    msg("assistant", "A"),
                    msg("user", "V")
                ],
                true
            ),
            "[INST] <<SYS>>\nS\n<</SYS>>\n\nU [/INST]A</s>[INST] V [/INST]"
        );
        let l3 = ChatTemplate::detect("<|start_header_id|>x<|end_header_id|>").unwrap();
        assert_eq!(
            l3.apply(&[msg("user", " U ")], true),
            "<|start_header_id|>user<|end_header_id|>\n\nU<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
        );
        let g = ChatTemplate::detect("<start_of_turn>").unwrap();
        assert_eq!(
            g.apply(&[msg("system", "S"), msg("user", "U")], true),
            "<start_of_turn>user\nS\n\nU<end_of_turn>\n<start_of_turn>model\n"
        );
        assert_eq!(ChatTemplate::detect("{{ messages }}"), None);
    }
}
