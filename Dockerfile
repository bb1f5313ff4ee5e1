# rmsviz: a stateless image; run replicas behind any load balancer with sticky sessions.
#   docker build -t rmsviz .                       # NumPy only
#   docker build -t rmsviz --build-arg TORCH=1 .   # adds the CPU build of torch
#   docker run -p 8501:8501 rmsviz
FROM python:3.11-slim

ARG TORCH=0
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 1000 app
WORKDIR /app

# Requirements first: the dependency layers stay cached while the code changes.
COPY requirements.txt requirements-torch.txt ./
RUN pip install -r requirements.txt \
 && if [ "$TORCH" = "1" ]; then pip install --index-url https://download.pytorch.org/whl/cpu -r requirements-torch.txt; fi

COPY --chown=app:app app.py ./
COPY --chown=app:app views ./views
COPY --chown=app:app rmsviz ./rmsviz
COPY --chown=app:app .streamlit ./.streamlit

USER app
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health').read() != b'ok')"
CMD ["streamlit", "run", "app.py", "--server.headless=true", "--server.port=8501", "--server.address=0.0.0.0", \
     "--server.fileWatcherType=none", "--server.runOnSave=false"]
