# The project's Airflow image: the official Airflow 3 image plus this package, its
# pinned dependencies (constraints.txt) and the Celery and Postgres providers.
FROM apache/airflow:3.3.2-python3.11

USER root
RUN mkdir -p /opt/hiring-signals/data && chown -R airflow:0 /opt/hiring-signals
USER airflow

WORKDIR /opt/hiring-signals
COPY --chown=airflow:0 pyproject.toml constraints.txt README.md ./
COPY --chown=airflow:0 include ./include
RUN pip install --no-cache-dir -c constraints.txt -e . \
      "apache-airflow-providers-celery==3.26.0" \
      "apache-airflow-providers-postgres==7.1.1" \
      "psycopg2-binary==2.9.13"
COPY --chown=airflow:0 dags ./dags
COPY --chown=airflow:0 dbt_project ./dbt_project
COPY --chown=airflow:0 config ./config
COPY --chown=airflow:0 sample_data ./sample_data

ENV HS_DATA_DIR=/opt/hiring-signals/data \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/hiring-signals/dags \
    DO_NOT_TRACK=1
