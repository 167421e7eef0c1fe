#include "store/export_metadata.hpp"

#include <string>

#include <catch2/catch.hpp>

using namespace panel::store;

TEST_CASE("export metadata: exactly Python's json.dumps(ensure_ascii=False, indent=2)", "[archive]") {
  gallery_row a;
  a.id = "g1";
  a.prompt = "a red \"cube\"\n\xE5\x9B\xBE";
  a.size = "1024x1024";
  a.filename = "dup.png";
  a.thumbnail_filename = "never-exported.webp";
  a.created_at = "2026-05-18T12:00:00+00:00";
  a.completed_at = "2026-05-18T20:00:03+08:00";
  a.image_width = 1024;
  a.image_height = 768;
  a.model = "gpt-image-2";
  a.quality = "auto";
  a.output_format = "png";
  a.response_format = "url";
  a.n = 1;
  a.api_path = "/v1/images/generations";
  a.api_preset_name = "Default";
  a.duration = "3.21s";
  a.favorite = true;
  a.bytes = 12345;
  a.sha256 = "ab";
  gallery_row b;
  b.id = "g2";
  b.size = "auto";
  b.filename = "dup_1.png";
  b.created_at = "c";

  std::string text = metadata_header("2026-05-18T12:00:00+00:00", "v1.2.3");
  append_metadata_entry(text, a, true);
  append_metadata_entry(text, b, false);
  text += metadata_footer(true, {{"m1", std::nullopt, "gallery_entry_missing"},
                                 {"g3", "../secret.png", "image_file_missing"}});
  // Printed by python3: json.dumps(metadata, ensure_ascii=False, indent=2) of the same document.
  std::string const python =
      "{\n  \"schema_version\": 1,\n  \"exported_at\": \"2026-05-18T12:00:00+00:00\",\n  \"app\": {\n    \"name\": "
      "\"gpt-image-linux\",\n    \"version\": \"v1.2.3\"\n  },\n  \"images\": [\n    {\n      \"id\": \"g1\",\n      "
      "\"prompt\": \"a red \\\"cube\\\"\\n\xE5\x9B\xBE\",\n      \"size\": \"1024x1024\",\n      \"filename\": "
      "\"dup.png\",\n      \"created_at\": \"2026-05-18T12:00:00+00:00\",\n      \"completed_at\": "
      "\"2026-05-18T20:00:03+08:00\",\n      \"image_width\": 1024,\n      \"image_height\": 768,\n      \"model\": "
      "\"gpt-image-2\",\n      \"quality\": \"auto\",\n      \"output_format\": \"png\",\n      "
      "\"output_compression\": null,\n      \"response_format\": \"url\",\n      \"n\": 1,\n      \"api_path\": "
      "\"/v1/images/generations\",\n      \"api_preset_name\": \"Default\",\n      \"duration\": \"3.21s\",\n      "
      "\"favorite\": true,\n      \"bytes\": 12345,\n      \"sha256\": \"ab\"\n    },\n    {\n      \"id\": \"g2\",\n "
      "     \"prompt\": \"\",\n      \"size\": \"auto\",\n      \"filename\": \"dup_1.png\",\n      \"created_at\": "
      "\"c\",\n      \"completed_at\": null,\n      \"image_width\": null,\n      \"image_height\": null,\n      "
      "\"model\": null,\n      \"quality\": null,\n      \"output_format\": null,\n      \"output_compression\": "
      "null,\n      \"response_format\": null,\n      \"n\": null,\n      \"api_path\": null,\n      "
      "\"api_preset_name\": null,\n      \"duration\": null,\n      \"favorite\": false,\n      \"bytes\": null\n    "
      "}\n  ],\n  \"skipped\": [\n    {\n      \"id\": \"m1\",\n      \"reason\": \"gallery_entry_missing\"\n    "
      "},\n    {\n      \"id\": \"g3\",\n      \"filename\": \"../secret.png\",\n      \"reason\": "
      "\"image_file_missing\"\n    }\n  ]\n}";
  CHECK(text == python);
}

TEST_CASE("export metadata: no images and nothing skipped", "[archive]") {
  auto const text = metadata_header("t", "v") + metadata_footer(false, {});
  CHECK(text == "{\n  \"schema_version\": 1,\n  \"exported_at\": \"t\",\n  \"app\": {\n    \"name\": "
                "\"gpt-image-linux\",\n    \"version\": \"v\"\n  },\n  \"images\": []\n}");
}
