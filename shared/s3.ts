// The S3 client of the video bucket, built from the storage configuration alone: AWS S3 (no endpoint), Supabase
// Storage's S3 endpoint, R2, MinIO or the local versitygw differ only in endpoint, region, credentials and path style.
import { S3Client } from '@aws-sdk/client-s3';
import { type StorageConfig, storageConfig } from './config.ts';

export function createS3Client(storage: StorageConfig): S3Client {
  return new S3Client({
    region: storage.region,
    ...(storage.endpoint ? { endpoint: storage.endpoint } : {}),
    forcePathStyle: storage.forcePathStyle,
    credentials: { accessKeyId: storage.accessKeyId, secretAccessKey: storage.secretAccessKey },
    // Since 3.729 the SDK adds CRC32 checksums to every upload by default. A presigned URL then requires the browser
    // to send a checksum it cannot know in advance, and several S3-compatible stores reject the extra headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

let client: S3Client | undefined;

/** This function instance's client, created on first use from `storageConfig()`. */
export function s3(): S3Client {
  return client ??= createS3Client(storageConfig());
}
