#include "core/config.hpp"

namespace panel::core {

std::string help_text() {
  return R"(Usage: image-panel [options]

Self-hosted panel for GPT-compatible image APIs.

Options (flags win over the environment, which wins over the .env file):
  --host ADDR        address to listen on (default 127.0.0.1; 0.0.0.0 for all)
  --port N           port to listen on (default 9090)
  --data-dir DIR     DATA_DIR: database, staged uploads, exports (default ./data)
  --env-file FILE    read variables from FILE (default .env; a missing file is fine)
  --help             show this text
  --version          print the version and exit

Environment variables (defaults in brackets):
 Access and network gate
  ACCESS_KEY                   access key; required unless ALLOW_UNAUTHENTICATED=true
  ALLOW_UNAUTHENTICATED        serve without an access key [false]
  ACCESS_KEY_COOKIE_NAME       session cookie name [gpt_image_access]
  ACCESS_COOKIE_SECURE         mark the cookie Secure (needs HTTPS) [true]
  ACCESS_MAX_FAILURES          wrong keys before lockout [5]
  ACCESS_LOCKOUT_SECONDS       lockout length [300]
  ACCESS_FAILURE_TABLE_SIZE    client IPs tracked for lockout [10000]
  IP_ALLOWLIST                 IPs/CIDRs allowed to connect (, or ;) [all]
  TRUST_PROXY_HEADERS          honour X-Forwarded-* from TRUSTED_PROXY_IPS [false]
  TRUSTED_PROXY_IPS            proxy IPs/CIDRs (required with TRUST_PROXY_HEADERS)
  PUBLIC_ORIGIN                public origin, e.g. https://panel.example.com
  ALLOWED_HOSTS                accepted Host values (hosts, host:port or origins)
  CSRF_ORIGIN_CHECK_ENABLED    check Origin/Referer on unsafe methods [true]
 Upstream
  DEFAULT_API_URL              first preset's base URL
  DEFAULT_API_KEY              first preset's key, as ${ENV_VAR} (recommended)
  DEFAULT_API_PATH             /v1/images/generations | /v1/responses | /v1/chat/completions
  DEFAULT_RESPONSES_MODEL      model for /v1/responses when none is given [gpt-5.4]
  DEFAULT_UPSTREAM_SOCKS5_PROXY  initial socks5:// proxy for upstream API calls
  ALLOW_PLAINTEXT_SECRETS      accept literal secrets instead of ${ENV_VAR} [false]
  UPSTREAM_HOST_ALLOWLIST      upstream hostnames allowed (empty: any public host)
  PRIVATE_NETWORK_ALLOWLIST    IPs/CIDRs/hostnames outgoing requests may reach
                               although private (LAN gateways); HTTPS still required
  EXTRA_CA_FILE                PEM bundle trusted besides the system CAs (outgoing HTTPS)
  MAX_UPSTREAM_JSON_MB         largest upstream JSON response [128]
 Prompt optimizer
  PROMPT_OPTIMIZER_ENABLED [false]  PROMPT_OPTIMIZER_API_URL  PROMPT_OPTIMIZER_API_KEY
  PROMPT_OPTIMIZER_MODEL [gpt-4o-mini]  PROMPT_OPTIMIZER_TIMEOUT_SECONDS [60]
  PROMPT_OPTIMIZER_MAX_OUTPUT_CHARS [4000]  PROMPT_OPTIMIZER_MAX_RESPONSE_MB [8]
  PROMPT_OPTIMIZER_HOST_ALLOWLIST
 Webhooks
  WEBHOOK_SIGNING_SECRET       HMAC secret, required when a webhook is used
  WEBHOOK_HOST_ALLOWLIST       webhook hostnames allowed
  WEBHOOK_TIMEOUT_SECONDS [5]  WEBHOOK_MAX_ATTEMPTS [3]
 R2 / S3 backup
  R2_BACKUP_ENABLED [false]  R2_ENDPOINT_URL  R2_BUCKET_NAME  R2_REGION [auto]
  R2_KEY_PREFIX [gallery/]  R2_ACCESS_KEY_ID  R2_SECRET_ACCESS_KEY
  R2_SYNC_INTERVAL_HOURS [0 = no scheduled backup]  R2_SYNC_CONCURRENCY [4, 1..32]
  R2_ENDPOINT_HOST_ALLOWLIST   S3-compatible hosts besides *.r2.cloudflarestorage.com
 Limits
  MAX_FILE_SIZE_MB [50]  MAX_JSON_BODY_MB [1]  MAX_IMAGE_PIXELS [100000000]
  EDIT_UPLOAD_MAX_MB [16 x MAX_FILE_SIZE_MB + 1]
  IMPORT_ARCHIVE_MAX_MB [20 x MAX_FILE_SIZE_MB]  IMPORT_MAX_FILES [500]
  IMPORT_MAX_UNCOMPRESSED_MB [1024]  IMPORT_MAX_METADATA_BYTES [2097152]
  IMPORT_MAX_COMPRESSION_RATIO [100]
 Jobs and live updates
  MAX_ACTIVE_GENERATE_JOBS [2]  MAX_QUEUED_GENERATE_JOBS [20]
  MAX_PENDING_EDIT_SOURCE_MB [4 x MAX_FILE_SIZE_MB]
  MAX_SSE_SUBSCRIBERS_GLOBAL [200]  MAX_SSE_SUBSCRIBERS_PER_IP [10]
  SSE_CONNECTION_TTL_SECONDS [3600, at least 60]
 Files
  DATA_DIR [./data]  DATABASE_FILE [DATA_DIR/app.sqlite3]
  IMAGES_DIR [./images]  THUMBNAILS_DIR [IMAGES_DIR/thumbs]  THUMBNAIL_MAX_SIDE [512]
  WEB_BUILD_DIR                the built web app [<source tree>/web/build]
 Version and metrics
  APP_VERSION                  overrides the VERSION file (read per request)
  VERSION_FILE                 [<source tree>/VERSION]
  GITHUB_REPO (owner/repo; empty turns the release check off) []  ENABLE_VERSION_CHECK [true]
  VERSION_CHECK_TIMEOUT_SECONDS [3]  VERSION_CHECK_BRANCH [main]
  VERSION_CHECK_API_URL [https://api.github.com]
  VERSION_CHECK_RAW_URL [https://raw.githubusercontent.com]
  ENABLE_METRICS [false]  SLOW_GALLERY_QUERY_MS [200]
)";
}

} // namespace panel::core
