"""The prompt-injection rules: phrases addressed to an AI model or analysis tool.

Each :class:`Rule` is one regular expression over normalized text (NFKC, zero-width characters
removed, whitespace runs collapsed to one space, symbol names with ``_``/camelCase split into
words; matched case-insensitively). In the patterns, ``~`` stands for a word gap (spaces,
``_`` or ``-``). Rules are deliberately specific (a verb, an object and a target together) so
ordinary program text does not match: the false-positive target on real binaries is zero.
Languages: en, de, fr, es, ru, zh; chat-template and tool-call markers are language-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from binscribe.analysis.models import InjectionCategory


@dataclass(frozen=True)
class Rule:
    """One detection rule: ``id`` (``<topic>.<language>``), the category, the language and
    the compiled pattern; ``verdict`` when the text asks for one (``benign``)."""

    id: str
    category: InjectionCategory
    language: str
    pattern: re.Pattern[str]
    verdict: Literal["benign"] | None = None
    keywords: tuple[str, ...] = ()
    """Lower-case fragments of which every match contains at least one: the pattern is only
    tried on text that has one (most text has none, and a substring test is far cheaper)."""


def _rule(
    id_: str,
    category: InjectionCategory,
    pattern: str,
    *,
    verdict: Literal["benign"] | None = None,
) -> Rule:
    language = id_.rsplit(".", 1)[1]
    compiled = re.compile(pattern.replace("~", r"[\s_\-]+"), re.IGNORECASE | re.MULTILINE)
    return Rule(id_, category, language, compiled, verdict, _KEYWORDS[id_])


_SAFE_EN = (
    "benign",
    "safe",
    "clean",
    "harmless",
    "legitimate",
    "trusted",
    "malicious",
    "goodware",
    "whitelisted",
    "false",
)
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "override.en": ("ignore", "disregard", "forget", "overlook", "bypass"),
    "new_instructions.en": ("instruction", "override", "follow"),
    "override.de": ("ignorier", "vergiss", "vergessen", "missachte"),
    "override.fr": ("ignore", "oublie"),
    "override.es": ("ignor", "olvid", "omite"),
    "override.ru": ("игнор", "забуд", "обращ"),
    "override.zh": ("忽略", "无视", "忘记", "忘掉", "不要理会"),
    "role.en": ("now", "pretend", "an ai", "an-ai", "new"),
    "role.de": ("bist", "sprachmodell"),
    "role.fr": ("maintenant", "désormais", "présent", "tant"),
    "role.es": ("eres", "como"),
    "role.ru": ("ты", "модель"),
    "role.zh": ("你", "作为"),
    "verdict.en": _SAFE_EN,
    "verdict.de": (
        "harmlos",
        "sicher",
        "gutartig",
        "unbedenklich",
        "ungefährlich",
        "sauber",
        "legitim",
        "vertrauenswürdig",
    ),
    "verdict.fr": ("bénin", "sûr", "sain", "inoffensi", "légitime", "propre", "malveillant"),
    "verdict.es": ("benign", "segur", "inofensiv", "limpi", "legítim", "confiable", "malicios"),
    "verdict.ru": ("безопасн", "безвредн", "чист", "легитимн", "доброкачественн", "вредоносн"),
    "verdict.zh": ("安全", "良性", "无害", "正常", "干净", "可信"),
    "addressee.en": ("dear", "attention", "hey", "note", "to", "if you"),
    "chat_template.any": (
        "<|",
        "inst]",
        "<<",
        "_of_turn>",
        "tool_call",
        "function_call",
        "tool_response",
    ),
    "role_marker.any": ("system", "assistant", "instruction", "response", "human", "developer"),
    "tool_call.any": ("tool_calls", "function_call", '"role"'),
}


_EN_OBJECT = r"(?:file|binary|program|sample|executable|software|code|application|app|payload)"
_EN_SAFE = (
    r"(?:benign|safe|clean|harmless|legitimate|trusted|non~malicious|not~malicious|goodware"
    r"|whitelisted|a~false~positive)"
)
_DE_SAFE = r"(?:harmlos|sicher|gutartig|unbedenklich|ungefährlich|sauber|legitim|vertrauenswürdig)"
_FR_SAFE = (
    r"(?:bénin|bénigne|sûr|sain|saine|inoffensif|inoffensive|légitime|propre|non~malveillant)"
)
_ES_SAFE = r"(?:benign[oa]|segur[oa]|inofensiv[oa]|limpi[oa]|legítim[oa]|confiable|no~malicios[oa])"
_RU_SAFE = r"(?:безопасн|безвредн|чист|легитимн|доброкачественн|не\s*вредоносн)\w*"
_ZH_SAFE = r"(?:安全|良性|无害|正常|干净|可信)"

RULES: tuple[Rule, ...] = (
    # --- instructions that override the analyst's own ---------------------------------------
    _rule(
        "override.en",
        "instruction_override",
        r"\b(?:ignore|disregard|forget|overlook|bypass)~(?:(?:all|any|the|your|my|of|these)~)*"
        r"(?:previous|prior|above|earlier|preceding|former|original|system|initial|other)~"
        r"(?:instructions?|prompts?|directions?|directives?|rules|guidelines|context|messages?"
        r"|commands?)\b",
    ),
    _rule(
        "new_instructions.en",
        "instruction_override",
        r"\b(?:new|updated|real|actual|true|important)~(?:system~)?instructions?\s*:"
        r"|\boverride~(?:your|the|all)~(?:instructions|system~prompt|rules|guidelines)\b"
        r"|\bdo~not~follow~(?:your|the)~(?:instructions|system~prompt)\b",
    ),
    _rule(
        "override.de",
        "instruction_override",
        r"\b(?:ignorier(?:e|en|t)?|vergiss|vergessen~sie|missachte(?:n)?)~(?:(?:bitte|alle|die"
        r"|deine|ihre|sämtliche)~)*(?:vorherigen|bisherigen|vorangegangenen|obigen|früheren"
        r"|ursprünglichen)~(?:anweisungen|instruktionen|befehle|regeln|vorgaben)\b",
    ),
    _rule(
        "override.fr",
        "instruction_override",
        r"\b(?:ignore[rz]?|oublie[rz]?)~(?:(?:toutes|tous|les|tes|vos)~)*(?:(?:instructions"
        r"|consignes|directives|règles)~(?:précédentes|antérieures|ci~dessus|initiales)"
        r"|(?:précédentes|anciennes)~(?:instructions|consignes))",
    ),
    _rule(
        "override.es",
        "instruction_override",
        r"\b(?:ignora|ignore|ignorar|olvida|olvide|olvidar|omite)~(?:(?:todas|las|tus|sus)~)*"
        r"(?:instrucciones|indicaciones|órdenes|reglas)~(?:anteriores|previas|de~arriba"
        r"|iniciales)\b",
    ),
    _rule(
        "override.ru",
        "instruction_override",
        r"(?:проигнорируй(?:те)?|игнорируй(?:те)?|забудь(?:те)?|не~обращай(?:те)?~внимания~на)~"
        r"(?:все~)?(?:предыдущие|прежние|предшествующие|вышеуказанные|свои|исходные)~"
        r"(?:инструкции|указания|команды|правила)",
    ),
    _rule(
        "override.zh",
        "instruction_override",
        r"(?:忽略|无视|忘记|忘掉|不要理会)掉?\s*(?:之前|以前|上面|上述|先前|前面|所有|全部)"
        r"的?\s*(?:所有|全部)?的?\s*(?:指令|指示|说明|规则|提示)",
    ),
    # --- a new role for the model -----------------------------------------------------------
    _rule(
        "role.en",
        "role_change",
        r"\byou~are~now~(?:a|an|the|in|my|no~longer)\b|\bfrom~now~on,?~you~(?:are|will|must"
        r"|should)\b|\bpretend~(?:to~be|you~are)\b|\bas~an~ai(?:~language)?~(?:model|assistant)\b"
        r"|\byour~new~(?:role|task|instructions?|goal)~(?:is|are)\b",
    ),
    _rule("role.de", "role_change", r"\bdu~bist~(?:jetzt|nun|ab~sofort)\b|\bals~ki~sprachmodell\b"),
    _rule(
        "role.fr",
        "role_change",
        r"\b(?:tu~es|vous~êtes)~(?:maintenant|désormais|à~présent)\b"
        r"|\ben~tant~qu['’]\s*(?:ia|intelligence~artificielle|modèle~de~langage)\b",
    ),
    _rule(
        "role.es",
        "role_change",
        r"\b(?:ahora|desde~ahora|a~partir~de~ahora)~eres\b"
        r"|\bcomo~(?:una~)?(?:ia|inteligencia~artificial|modelo~de~lenguaje)~,",
    ),
    _rule("role.ru", "role_change", r"(?:теперь~ты|ты~теперь|отныне~ты)\b|как~языковая~модель"),
    _rule(
        "role.zh",
        "role_change",
        r"你现在是|从现在(?:开始|起)\s*[，,]?\s*你(?:是|将|必须)|作为(?:一个)?(?:人工智能|AI|语言模型)",
    ),
    # --- asking for a verdict ------------------------------------------------------------------
    _rule(
        "verdict.en",
        "verdict_request",
        rf"\b(?:classify|mark|label|report|flag|treat|consider|categori[sz]e|declare|rate|tag"
        rf"|identify|describe)~(?:this|the|it|me)(?:~{_EN_OBJECT})?~as~{_EN_SAFE}"
        rf"|\b(?:this|the)~{_EN_OBJECT}~is~(?:completely~|totally~|entirely~|100%~)?"
        rf"(?:benign|harmless|not~malicious|non~malicious|goodware)\b"
        rf"|\b(?:say|respond|answer|reply|output|conclude|state)~(?:only~)?(?:with~|that~)?"
        rf"[\"'“]?(?:it~is~|this~is~)?(?:benign|harmless|not~malicious)\b",
        verdict="benign",
    ),
    _rule(
        "verdict.de",
        "verdict_request",
        rf"\b(?:stufe|klassifizier(?:e|en)?|bewerte|markiere|kennzeichne|betrachte|behandle)~"
        rf"(?:sie~)?(?:diese[snm]?|die|das|den)~(?:\w+~)?als~{_DE_SAFE}"
        rf"|\b(?:diese[sr]?|das)~(?:datei|programm|binärdatei|probe|software)~ist~{_DE_SAFE}",
        verdict="benign",
    ),
    _rule(
        "verdict.fr",
        "verdict_request",
        rf"\b(?:classe[rz]?|classifie[rz]?|considère[rz]?|considérez|marque[rz]?|signale[rz]?"
        rf"|traite[rz]?|qualifie[rz]?)~(?:ce|cet|cette|le)~(?:fichier|programme|binaire"
        rf"|échantillon|exécutable|logiciel|code)~comme~{_FR_SAFE}",
        verdict="benign",
    ),
    _rule(
        "verdict.es",
        "verdict_request",
        rf"\b(?:clasifica|clasifique|marca|marque|considera|considere|trata|etiqueta|reporta)~"
        rf"(?:este|esta|el|la)~(?:archivo|programa|binario|muestra|ejecutable|software|código"
        rf"|fichero)~como~{_ES_SAFE}",
        verdict="benign",
    ),
    _rule(
        "verdict.ru",
        "verdict_request",
        rf"(?:классифицируй|считай|отметь|пометь|признай|оцени)(?:те)?~(?:этот~|это~|эту~)?"
        rf"(?:файл|программу|образец|бинарник|код|приложение)~как~{_RU_SAFE}",
        verdict="benign",
    ),
    _rule(
        "verdict.zh",
        "verdict_request",
        rf"(?:将|把)?(?:此|这个|该|本)(?:文件|程序|样本|二进制文件|软件|代码)"
        rf"(?:归类|分类|标记|判定|认定|视为|评为|报告)为?{_ZH_SAFE}"
        rf"|(?:此|这个|该|本)(?:文件|程序|样本)是{_ZH_SAFE}的",
        verdict="benign",
    ),
    # --- text addressed to an AI or analysis tool --------------------------------------------
    _rule(
        "addressee.en",
        "addressed_to_ai",
        r"\b(?:dear|attention|hey|note~to(?:~the)?|to~(?:the|any|all))~(?:ai|llm|gpt|chatgpt"
        r"|claude|gemini|copilot|language~model|ai~(?:assistant|model|analy[sz]er|agent)"
        r"|automated~analy[sz]er|analysis~tool|reverse~engineering~tool)s?\b"
        r"|\bif~you~are~(?:an?~)?(?:ai|llm|language~model|ai~(?:assistant|model|agent))\b",
    ),
    # --- chat templates, role markers and tool-call syntax -------------------------------------
    _rule(
        "chat_template.any",
        "chat_template",
        r"<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|begin_of_text"
        r"|end_of_text|start_header_id|end_header_id|eot_id|eom_id|tool_call|tool_response"
        r"|channel|python_tag)\|>|\[/?INST\]|<</?SYS>>|<(?:start|end)_of_turn>"
        r"|</?(?:tool_call|function_call|tool_response)>",
    ),
    _rule(
        "role_marker.any",
        "chat_template",
        r"^\s*#{2,4}\s*(?:system|instructions?|assistant|response)\s*:?\s*$"
        r"|^\s*(?:system|assistant|developer)\s*:\s+(?:you|ignore|disregard|forget|from~now"
        r"|classify|the~(?:file|binary|program))\b"
        r"|\n\n(?:human|assistant)\s*:\s+\S",
    ),
    _rule(
        "tool_call.any",
        "chat_template",
        r"\"(?:tool_calls|function_call)\"\s*:|\"role\"\s*:\s*\"(?:system|assistant|developer"
        r"|tool)\"",
    ),
)
"""Every rule, checked in this order (the first match of each rule in a text is reported)."""
