"""What Roundtable knows about model providers without importing litellm.

A static table: each provider's display name, the environment variables that hold
its API key, whether it runs on the user's own machine, and a few well-known models
to offer once a key is present. `KNOWN_PROVIDERS` lists the provider prefixes of
litellm 1.106 (the version we pin), so a model id can be checked in the GUI process,
which never loads litellm.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    """One provider as the settings screen and the error messages name it."""

    name: str  # the litellm prefix: "openai", "ollama_chat"
    label: str  # for people: "OpenAI", "Ollama"
    #: Environment variables litellm reads for the key, the canonical one first.
    key_vars: tuple[str, ...] = ()
    #: Runs on the user's machine: needs no key and charges nothing per token.
    local: bool = False
    #: Where it listens by default, when neither the seat nor a variable says.
    default_base: str | None = None
    #: Environment variables that say where it listens, read in this order (see
    #: `endpoints.py`): litellm's own, then the server's (OLLAMA_HOST).
    base_vars: tuple[str, ...] = ()
    #: It has no address of its own: a seat must get one (api_base or a variable).
    needs_base: bool = False
    #: Well-known chat models, as full litellm ids, offered once a key is present.
    models: tuple[str, ...] = ()

    @property
    def needs_key(self) -> bool:
        return bool(self.key_vars) and not self.local


_TABLE = (
    ProviderInfo(
        "openai",
        "OpenAI",
        ("OPENAI_API_KEY",),
        base_vars=("OPENAI_API_BASE", "OPENAI_BASE_URL"),
        models=("openai/gpt-4o", "openai/gpt-4o-mini", "openai/gpt-4.1", "openai/gpt-5-mini"),
    ),
    ProviderInfo(
        "anthropic",
        "Anthropic",
        ("ANTHROPIC_API_KEY",),
        models=(
            "anthropic/claude-sonnet-4-5",
            "anthropic/claude-haiku-4-5",
            "anthropic/claude-opus-4-5",
        ),
    ),
    ProviderInfo(
        "gemini",
        "Google Gemini",
        ("GEMINI_API_KEY", "GOOGLE_API_KEY"),
        models=("gemini/gemini-2.5-pro", "gemini/gemini-2.5-flash"),
    ),
    ProviderInfo(
        "mistral",
        "Mistral",
        ("MISTRAL_API_KEY",),
        models=("mistral/mistral-large-latest", "mistral/mistral-small-latest"),
    ),
    ProviderInfo(
        "groq",
        "Groq",
        ("GROQ_API_KEY",),
        models=("groq/openai/gpt-oss-120b", "groq/llama-3.3-70b-versatile"),
    ),
    ProviderInfo(
        "openrouter",
        "OpenRouter",
        ("OPENROUTER_API_KEY",),
        models=("openrouter/openai/gpt-4o", "openrouter/anthropic/claude-sonnet-4.5"),
    ),
    ProviderInfo(
        "deepseek",
        "DeepSeek",
        ("DEEPSEEK_API_KEY",),
        models=("deepseek/deepseek-chat", "deepseek/deepseek-reasoner"),
    ),
    ProviderInfo("xai", "xAI", ("XAI_API_KEY",), models=("xai/grok-4.3", "xai/grok-code-fast-1")),
    ProviderInfo(
        "cohere_chat",
        "Cohere",
        ("COHERE_API_KEY", "CO_API_KEY"),
        models=("cohere_chat/command-a-03-2025",),
    ),
    ProviderInfo("cohere", "Cohere", ("COHERE_API_KEY", "CO_API_KEY")),
    ProviderInfo(
        "together_ai",
        "Together AI",
        ("TOGETHERAI_API_KEY", "TOGETHER_API_KEY", "TOGETHER_AI_TOKEN"),
        models=("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",),
    ),
    ProviderInfo(
        "fireworks_ai",
        "Fireworks AI",
        ("FIREWORKS_AI_API_KEY", "FIREWORKS_API_KEY"),
        models=("fireworks_ai/accounts/fireworks/models/llama-v3p3-70b-instruct",),
    ),
    ProviderInfo(
        "perplexity",
        "Perplexity",
        ("PERPLEXITYAI_API_KEY", "PERPLEXITY_API_KEY"),
        models=("perplexity/sonar", "perplexity/sonar-pro"),
    ),
    ProviderInfo("cerebras", "Cerebras", ("CEREBRAS_API_KEY",), models=("cerebras/gpt-oss-120b",)),
    ProviderInfo(
        "deepinfra",
        "DeepInfra",
        ("DEEPINFRA_API_KEY",),
        models=("deepinfra/meta-llama/Llama-3.3-70B-Instruct",),
    ),
    ProviderInfo("huggingface", "Hugging Face", ("HF_TOKEN", "HUGGINGFACE_API_KEY")),
    ProviderInfo("nvidia_nim", "NVIDIA NIM", ("NVIDIA_NIM_API_KEY",)),
    ProviderInfo("azure", "Azure OpenAI", ("AZURE_API_KEY", "AZURE_OPENAI_API_KEY")),
    ProviderInfo("moonshot", "Moonshot", ("MOONSHOT_API_KEY",)),
    ProviderInfo(
        "litellm_proxy",
        "LiteLLM proxy",
        ("LITELLM_PROXY_API_KEY",),
        base_vars=("LITELLM_PROXY_API_BASE",),
        needs_base=True,
    ),
    # 127.0.0.1 rather than localhost: these servers bind IPv4 loopback by default, and
    # "localhost" may resolve to ::1 first.
    ProviderInfo(
        "ollama",
        "Ollama",
        local=True,
        default_base="http://127.0.0.1:11434",
        base_vars=("OLLAMA_API_BASE", "OLLAMA_HOST"),
    ),
    ProviderInfo(
        "ollama_chat",
        "Ollama",
        local=True,
        default_base="http://127.0.0.1:11434",
        base_vars=("OLLAMA_API_BASE", "OLLAMA_HOST"),
    ),
    ProviderInfo(
        "lm_studio",
        "LM Studio",
        local=True,
        default_base="http://127.0.0.1:1234/v1",
        base_vars=("LM_STUDIO_API_BASE",),
    ),
    ProviderInfo(
        "llamafile",
        "llamafile",
        local=True,
        default_base="http://127.0.0.1:8080/v1",
        base_vars=("LLAMAFILE_API_BASE",),
    ),
    ProviderInfo(
        "hosted_vllm", "vLLM", local=True, base_vars=("HOSTED_VLLM_API_BASE",), needs_base=True
    ),
    ProviderInfo("vllm", "vLLM", local=True),
    ProviderInfo("docker_model_runner", "Docker Model Runner", local=True),
    ProviderInfo("lemonade", "Lemonade", local=True),
    ProviderInfo("xinference", "Xinference", local=True),
    ProviderInfo("oobabooga", "text-generation-webui", local=True),
    ProviderInfo("demo", "Demo (offline, simulated)", local=True),
)

PROVIDERS: dict[str, ProviderInfo] = {info.name: info for info in _TABLE}

#: Provider prefixes litellm 1.106 accepts (`litellm.provider_list`), plus `demo`.
#: A prefix missing here is looked up in the installed litellm before it is refused.
_LITELLM_PROVIDER_NAMES = """
    a2a a2a_agent ai21 ai21_chat aiml aiohttp_openai amazon_nova anthropic anthropic_text
    apertis assemblyai auto_router aws_polly aws_textract azure azure_ai azure_speech
    azure_text baseten bedrock bedrock_mantle black_forest_labs bytez cerebras
    charity_engine chatgpt chutes clarifai cloudflare codestral cognition cohere
    cohere_chat cometapi compactifai cortecs cursor custom custom_openai darkbloom
    dashscope databricks datarobot deepgram deepinfra deepseek demo docker_model_runner
    dotprompt edenai elevenlabs empower fal_ai featherless_ai fireworks_ai friendliai
    galadriel gdc gemini gigachat github github_copilot gradient_ai groq helicone heroku
    hosted_vllm huggingface humanloop hyperbolic inception infinity jina_ai lambda_ai
    langflow langfuse langgraph lemonade libertai litellm_agent litellm_proxy llamafile
    lm_studio manus maritalk meta meta_llama milvus minimax mistral modelscope mongodb
    moonshot morph nadir nano-gpt nebius neosantara nlp_cloud novita nscale nvidia_nim
    nvidia_riva oci ollama ollama_chat oobabooga openai openai_like openrouter ovhcloud
    parasail perplexity petals pg_vector pinstripes poe predibase prism publicai
    qwen_ai_platform qwencloud ragflow recraft reducto reka replicate runwayml s3_vectors
    sagemaker sagemaker_chat sagemaker_nova sail sambanova sap scaleway scx-ai snowflake
    soniox stability strands_decider synthetic tencent tensormesh text-completion-codestral
    text-completion-inception text-completion-openai together_ai topaz transcribe triton
    typesafe v0 valkey vercel_ai_gateway vertex_ai vertex_ai_beta vllm volcengine voyage
    wandb watsonx watsonx_text xai xiaomi_mimo xinference zai
"""
KNOWN_PROVIDERS: frozenset[str] = frozenset(_LITELLM_PROVIDER_NAMES.split())


def provider_info(name: str) -> ProviderInfo | None:
    return PROVIDERS.get(name)


def provider_label(name: str) -> str:
    """The provider's name for people ("OpenAI"); the prefix itself when unknown."""
    info = PROVIDERS.get(name)
    return info.label if info else (name or "the provider")


def is_local_provider(name: str) -> bool:
    info = PROVIDERS.get(name)
    return info is not None and info.local
