"""The prompt optimizer (spec §3.4, §6.10): the system prompt endpoints and POST /api/prompt/optimize
against a fake Chat Completions server over HTTPS on loopback (the shared test CA)."""

import json
import time

from .panel import ACCESS_KEY, PanelCase, mint_token
from .upstream import PyServer, certs, json_reply

OPTIMIZE = "/api/prompt/optimize"
SYSTEM = "/api/prompt/optimizer-system-prompt"
KEY = "optimizer-key"
MODEL = "prompt-model"


def chat(content, model=None):
    body = {"id": "chatcmpl-1", "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]}
    if model:
        body["model"] = model
    return json_reply(body)


class OptimizerCase(PanelCase):
    server = None
    env = {}

    @classmethod
    def optimizer_env(cls):
        return {"ACCESS_KEY": ACCESS_KEY, "EXTRA_CA_FILE": str(certs() / "ca.crt"),
                "PRIVATE_NETWORK_ALLOWLIST": "127.0.0.1", "PROMPT_OPTIMIZER_ENABLED": "true",
                "PROMPT_OPTIMIZER_API_URL": f"{cls.server.url}/v1/chat/completions",
                "PROMPT_OPTIMIZER_API_KEY": "${TEST_PROMPT_OPTIMIZER_API_KEY}",
                "TEST_PROMPT_OPTIMIZER_API_KEY": KEY, "PROMPT_OPTIMIZER_MODEL": MODEL}

    @classmethod
    def configure(cls, tmp):
        env = cls.optimizer_env()
        env.update(cls.env)
        return env

    @classmethod
    def setUpClass(cls):
        cls.answer = staticmethod(lambda rec: chat("unused"))
        cls.server = PyServer(lambda rec: cls.answer(rec))
        cls.addClassCleanup(cls.server.stop)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        if KEY in cls.panel.stderr:
            raise AssertionError(f"the optimizer key leaked into the panel's log:\n{cls.panel.stderr}")

    def call(self, method, path, body=None):
        headers = [("Cookie", "gpt_image_access=" + mint_token(ACCESS_KEY, time.time() + 600))]
        if method != "GET":
            headers.append(("Origin", self.panel.origin))
        return self.panel.request(method, path, headers, body)

    def optimize(self, body):
        return self.call("POST", OPTIMIZE, body)

    def calls(self):
        return self.server.requests("/v1/chat/completions")


class Optimize(OptimizerCase):
    env = {"PROMPT_OPTIMIZER_TIMEOUT_SECONDS": "1", "PROMPT_OPTIMIZER_MAX_RESPONSE_MB": "1",
           "PROMPT_OPTIMIZER_MAX_OUTPUT_CHARS": "50",
           # A global proxy exists; the optimizer must not use it (it would fail: nothing listens there).
           "DEFAULT_UPSTREAM_SOCKS5_PROXY": "${TEST_UPSTREAM_PROXY_URL}",
           "TEST_UPSTREAM_PROXY_URL": "socks5://127.0.0.1:9"}

    def setUp(self):
        with self.server.lock:
            self.server.log.clear()
        p = self.tmp / "data" / "prompt_optimizer_system_prompt.md"
        if p.exists():
            p.unlink()
        type(self).answer = staticmethod(lambda rec: chat("unused"))

    def test_success_and_the_exact_request(self):
        type(self).answer = staticmethod(lambda rec: chat("A red fox in fresh snow, soft morning light."))
        r = self.optimize({"prompt": "  a fox in snow ", "target_language": "zh-CN", "api_path": "/v1/responses",
                           "model": "gpt-image-2", "size": "1024x1024", "quality": "high"})
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(set(body), {"optimized_prompt", "model", "duration_ms"})
        self.assertEqual(body["optimized_prompt"], "A red fox in fresh snow, soft morning light.")
        self.assertEqual(body["model"], MODEL)
        self.assertIsInstance(body["duration_ms"], int)
        self.assertGreaterEqual(body["duration_ms"], 0)
        [rec] = self.calls()
        self.assertEqual(rec.method, "POST")
        self.assertEqual(rec.path, "/v1/chat/completions")
        self.assertEqual(rec.headers.get("authorization"), f"Bearer {KEY}")
        self.assertTrue(rec.headers.get("content-type", "").startswith("application/json"))
        default = self.call("GET", SYSTEM).json()["default_system_prompt"]
        self.assertEqual(rec.json(), {
            "model": MODEL,
            "messages": [
                {"role": "system", "content": default},
                {"role": "user", "content": "Target language: zh-CN\nImage API path: /v1/responses\n"
                                            "Image model: gpt-image-2\nSize: 1024x1024\nQuality: high\n\n"
                                            "User image idea:\na fox in snow"}],
            "temperature": 0.4, "max_tokens": 900, "stream": False})

    def test_defaults_in_the_user_message(self):
        type(self).answer = staticmethod(lambda rec: chat("ok"))
        self.assertEqual(self.optimize({"prompt": "idea"}).status, 200)
        self.assertEqual(self.optimize({"prompt": "idea", "target_language": "same", "model": None}).status, 200)
        first, second = (r.json()["messages"][1]["content"] for r in self.calls())
        self.assertEqual(first, "Target language: en\nImage API path: unspecified\nImage model: unspecified\n"
                                "Size: unspecified\nQuality: unspecified\n\nUser image idea:\nidea")
        self.assertTrue(second.startswith("Target language: same as user's input language\n"))

    def test_upstream_model_and_output_cleaning(self):
        type(self).answer = staticmethod(lambda rec: chat('```text\n"A cat on a mat"\n```', model="upstream-model"))
        body = self.optimize({"prompt": "cat"}).json()
        self.assertEqual(body["optimized_prompt"], "A cat on a mat")
        self.assertEqual(body["model"], "upstream-model")
        type(self).answer = staticmethod(lambda rec: chat("abcdefghij" * 10))  # cut to PROMPT_OPTIMIZER_MAX_OUTPUT_CHARS
        self.assertEqual(self.optimize({"prompt": "long"}).json()["optimized_prompt"], "abcdefghij" * 5)

    def test_custom_system_prompt_is_used(self):
        r = self.call("POST", SYSTEM, {"system_prompt": "You only answer in haiku."})
        self.assertEqual(r.status, 200, r)
        type(self).answer = staticmethod(lambda rec: chat("ok"))
        self.assertEqual(self.optimize({"prompt": "sea"}).status, 200)
        [rec] = self.calls()
        self.assertEqual(rec.json()["messages"][0], {"role": "system", "content": "You only answer in haiku."})

    def test_upstream_failures_are_502(self):
        cases = [
            (lambda rec: json_reply({"error": {"message": "boom"}}, status=500), "Optimizer upstream returned HTTP 500"),
            (lambda rec: json_reply({"error": "nope"}, status=401), "Optimizer upstream returned HTTP 401"),
            (lambda rec: (200, {"Content-Type": "text/html"}, b"<html>hi</html>"), "Optimizer returned non-JSON response"),
            (lambda rec: json_reply({"choices": []}), "Optimizer response missing choices[0].message.content"),
            (lambda rec: json_reply({"object": "x"}), "Optimizer response missing choices[0].message.content"),
            (lambda rec: chat("   \n "), "Optimizer returned empty content"),
            (lambda rec: chat(None), "Optimizer returned empty content"),
            (lambda rec: chat("x" * (1024 * 1024 + 10)), "Optimizer response too large"),
        ]
        for answer, message in cases:
            with self.subTest(message=message):
                type(self).answer = staticmethod(answer)
                body = self.assertError(self.optimize({"prompt": "p"}), 502, code="upstream_error")
                self.assertIn(message, body["detail"])
                self.assertNotIn(KEY, json.dumps(body))

    def test_timeout_is_504(self):
        def slow(rec):
            time.sleep(2.5)
            return chat("too late")

        type(self).answer = staticmethod(slow)
        started = time.monotonic()
        r = self.optimize({"prompt": "p"})
        elapsed = time.monotonic() - started
        self.assertError(r, 504, "Prompt optimizer request timed out", code="upstream_timeout")
        self.assertLess(elapsed, 2.4)

    def test_never_uses_the_job_queue(self):
        type(self).answer = staticmethod(lambda rec: chat("ok"))
        self.assertEqual(self.optimize({"prompt": "p"}).status, 200)
        r = self.call("GET", "/api/generate/jobs?include_finished=true")
        self.assertEqual(r.json(), [])

    def test_validation(self):
        cases = [
            ({}, "prompt - Field required"),
            ({"prompt": ""}, "prompt - String should have at least 1 character"),
            ({"prompt": "   "}, "prompt - String should have at least 1 character"),
            ({"prompt": "p" * 4001}, "prompt - String should have at most 4000 characters"),
            ({"prompt": "p", "target_language": "fr"}, "target_language - Input should be 'en', 'zh-CN' or 'same'"),
            ({"prompt": "p", "api_path": "/v1/images/edits"}, "api_path - Input should be"),
            ({"prompt": "p", "quality": "ultra"}, "quality - Input should be 'auto', 'low', 'medium' or 'high'"),
            ({"prompt": "p", "model": "m" * 201}, "model - String should have at most 200 characters"),
            ({"prompt": "p", "size": "s" * 41}, "size - String should have at most 40 characters"),
            ({"prompt": "p", "unexpected": True}, "unexpected - Extra inputs are not permitted"),
        ]
        for body, fragment in cases:
            with self.subTest(body=str(body)[:50]):
                self.assertIn(fragment, self.assertError(self.optimize(body), 422, code="validation_error")["detail"])
        self.assertEqual(self.calls(), [])


class SystemPrompt(OptimizerCase):
    def setUp(self):
        p = self.file
        if p.exists():
            p.unlink()

    @property
    def file(self):
        return self.tmp / "data" / "prompt_optimizer_system_prompt.md"

    def test_fresh_install_uses_the_default(self):
        r = self.call("GET", SYSTEM)
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(set(body), {"system_prompt", "default_system_prompt", "customized"})
        self.assertEqual(body["system_prompt"], body["default_system_prompt"])
        self.assertIs(body["customized"], False)
        self.assertGreater(len(body["default_system_prompt"]), 1000)
        self.assertIn("Target language", body["default_system_prompt"])

    def test_save_trims_and_writes_one_trailing_newline(self):
        r = self.call("POST", SYSTEM, {"system_prompt": "  Custom optimizer prompt\n"})
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(body["system_prompt"], "Custom optimizer prompt")
        self.assertIs(body["customized"], True)
        self.assertGreater(len(body["default_system_prompt"]), 1000)
        self.assertEqual(self.file.read_bytes(), b"Custom optimizer prompt\n")
        self.assertEqual(self.call("GET", SYSTEM).json(), body)
        self.assertEqual(sorted(p.name for p in self.file.parent.iterdir() if "optimizer" in p.name),
                         ["prompt_optimizer_system_prompt.md"])  # no temporary file left

    def test_line_endings_are_normalised(self):
        r = self.call("POST", SYSTEM, {"system_prompt": "\r\nline one\r\nline two\rline three\r\n"})
        self.assertEqual(r.json()["system_prompt"], "line one\nline two\nline three")
        self.assertEqual(self.file.read_bytes(), b"line one\nline two\nline three\n")

    def test_invalid_prompts_keep_the_old_one(self):
        self.assertEqual(self.call("POST", SYSTEM, {"system_prompt": "Keep me"}).status, 200)
        cases = [
            ({"system_prompt": "   \n\t "}, "Prompt optimizer system prompt must not be empty"),
            ({"system_prompt": ""}, "Prompt optimizer system prompt must not be empty"),
            ({"system_prompt": "x" * 20001}, "Prompt optimizer system prompt must be at most 20000 characters"),
            ({"system_prompt": 3}, "system_prompt - Input should be a valid string"),
            ({}, "system_prompt - Field required"),
            ({"system_prompt": "x", "extra": 1}, "extra - Extra inputs are not permitted"),
        ]
        for body, fragment in cases:
            with self.subTest(body=str(body)[:40]):
                detail = self.assertError(self.call("POST", SYSTEM, body), 422, code="validation_error")["detail"]
                self.assertIn(fragment, detail)
        self.assertEqual(self.call("GET", SYSTEM).json()["system_prompt"], "Keep me")
        self.assertEqual(self.file.read_bytes(), b"Keep me\n")

    def test_longest_prompt_is_accepted(self):
        text = "字" * 20000
        r = self.call("POST", SYSTEM, {"system_prompt": f"  {text}  "})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["system_prompt"], text)

    def test_an_unusable_file_falls_back_to_the_default(self):
        self.file.write_bytes(b"  \n")
        body = self.call("GET", SYSTEM).json()
        self.assertEqual(body["system_prompt"], body["default_system_prompt"])
        self.assertIs(body["customized"], True)
        self.file.write_text("Hand edited\r\n")
        self.assertEqual(self.call("GET", SYSTEM).json()["system_prompt"], "Hand edited")

    def test_needs_the_cookie(self):
        self.assertError(self.panel.get(SYSTEM), 401, "Access key required")
        self.assertError(self.panel.post(SYSTEM, {"system_prompt": "x"}), 401, "Access key required")
        self.assertError(self.panel.post(OPTIMIZE, {"prompt": "x"}), 401, "Access key required")


# -- preconditions: one panel per configuration -------------------------------------------------

class PreconditionCase(OptimizerCase):
    message = None

    def test_refused_with_400_before_any_request(self):
        body = self.assertError(self.optimize({"prompt": "p"}), 400, code="bad_request")
        self.assertIn(self.message, body["detail"])
        self.assertEqual(self.calls(), [])


class Disabled(PreconditionCase):
    env = {"PROMPT_OPTIMIZER_ENABLED": "false"}
    message = "Prompt optimizer is not enabled"


class NoUrl(PreconditionCase):
    env = {"PROMPT_OPTIMIZER_API_URL": ""}
    message = "Prompt optimizer endpoint URL is not configured"


class KeyVariableUnset(PreconditionCase):
    env = {"TEST_PROMPT_OPTIMIZER_API_KEY": ""}
    message = "Prompt optimizer API key is not configured"


class PlainHttp(PreconditionCase):
    message = "Only HTTPS URLs are allowed for upstream API"

    @classmethod
    def configure(cls, tmp):
        env = cls.optimizer_env()
        env["PROMPT_OPTIMIZER_API_URL"] = env["PROMPT_OPTIMIZER_API_URL"].replace("https://", "http://")
        return env


class NotInAllowlist(PreconditionCase):
    env = {"PROMPT_OPTIMIZER_HOST_ALLOWLIST": "optimizer.example.com, other.example.com"}
    message = "Hostname '127.0.0.1' is not in the allowlist. Allowed: optimizer.example.com, other.example.com"


class PrivateAddress(PreconditionCase):
    env = {"PRIVATE_NETWORK_ALLOWLIST": ""}
    message = "resolves to private/internal IP(s): '127.0.0.1'"


del PreconditionCase
