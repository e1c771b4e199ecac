"""Create the lab flows that accept uploads (a developer tool, run by hand against the lab).

    python tests/live/lab_uploads.py

Idempotent: a flow whose name already exists is kept as it is. It builds on
../shared/flowise-lab/create_flows.py (imported through sys.path, read only):

- `TUI Lab Image Upload`: ChatOpenAI with `allowImageUploads` + Conversation Chain;
- `TUI Lab File Upload`: a plain chat whose chatbot config turns on full-file upload for
  text, Markdown, CSV, JSON and PDF;
- `TUI Lab RAG Upload`: Text File loader -> in-memory vector store with `fileUpload` on ->
  Conversational Retrieval QA Chain, so that Flowise offers RAG file uploads.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# ../shared/flowise-lab next to the project (a worktree sits one folder deeper)
LAB_SCRIPTS = next(
    (
        lab
        for up in Path(__file__).resolve().parents[2:5]
        if (lab := up / "shared" / "flowise-lab").is_dir()
    ),
    Path("../shared/flowise-lab"),
)
FULL_FILE_TYPES = "text/plain,text/markdown,text/csv,application/json,application/pdf"


def main() -> None:
    sys.path.insert(0, str(LAB_SCRIPTS))
    import create_flows as lab  # type: ignore[import-not-found]

    cred = next(
        c["id"] for c in lab.api("GET", "/api/v1/credentials") if c["name"] == "lab-fake-openai"
    )
    base = lab.FAKE + "/v1"

    def image_flow() -> object:
        flow = lab.Flow()
        llm = lab.chat_openai(flow, cred, base)
        llm["data"]["inputs"]["allowImageUploads"] = True
        chain = flow.add("conversationChain")
        flow.connect(llm, chain, "model")
        flow.connect(flow.add("bufferMemory"), chain, "memory")
        return flow

    def rag_flow() -> object:
        flow = lab.Flow()
        splitter = flow.add(
            "recursiveCharacterTextSplitter", {"chunkSize": 300, "chunkOverlap": 20}
        )
        loader = flow.add("textFile", output="document")
        flow.connect(splitter, loader, "textSplitter")
        embeddings = flow.add("openAIEmbeddings", {"basepath": base}, credential=cred)
        store = flow.add("memoryVectorStore", {"topK": 2}, output="retriever")
        store["data"]["inputs"]["fileUpload"] = True
        flow.connect(loader, store, "document")
        flow.connect(embeddings, store, "embeddings")
        chain = flow.add("conversationalRetrievalQAChain", {"returnSourceDocuments": True})
        flow.connect(lab.chat_openai(flow, cred, base), chain, "model")
        flow.connect(store, chain, "vectorStoreRetriever")
        return flow

    file_config = {"fullFileUpload": {"status": True, "allowedUploadFileTypes": FULL_FILE_TYPES}}
    specs = {
        "TUI Lab Image Upload": (image_flow(), None),
        "TUI Lab File Upload": (lab.plain_chat(cred, base), file_config),
        "TUI Lab RAG Upload": (rag_flow(), None),
    }
    existing = {flow["name"]: flow["id"] for flow in lab.api("GET", "/api/v1/chatflows") or []}
    for name, (flow, chatbot_config) in specs.items():
        if name in existing:
            print(f"kept    {name:24} {existing[name]}")
            continue
        body = {"name": name, "flowData": flow.flow_data(), "type": "CHATFLOW"}
        if chatbot_config:
            body["chatbotConfig"] = json.dumps(chatbot_config)
        created = lab.api("POST", "/api/v1/chatflows", body)
        print(f"created {name:24} {created['id']}")


if __name__ == "__main__":
    main()
