/** Benchmarks of uring4j against its peers; the only module that may depend on Netty and JMH. */
package dev.uring4j.bench;
